using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboundRouter.Ingress;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>The <c>InboundRouter:Ingress</c> settings as the router binds and checks them at start.</summary>
public sealed class IngressOptions_Specs
{
    /// <summary>
    /// AgentMail's deliveries wait about 15 s for an answer: a request held longer answers nobody, and one held past a
    /// timer's reach failed every webhook request. Said at start instead.
    /// </summary>
    [Theory]
    [InlineData("00:01:00.001")]
    [InlineData("60.00:00:00")]
    public void When_a_request_would_wait_longer_than_a_minute_for_its_event_Should_refuse_to_start_naming_it(string recordTimeout)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(recordTimeout));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboundRouter:Ingress:RecordTimeout must be at most 00:01:00", StringComparison.Ordinal));
    }

    [Fact]
    public void When_a_request_waits_a_minute_at_most_Should_start() =>
        Assert.Equal(TimeSpan.FromMinutes(1), Bind("00:01:00").RecordTimeout);

    private static IngressOptions Bind(string recordTimeout)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["InboundRouter:Ingress:RecordTimeout"] = recordTimeout });
        builder.AddServiceDefaults(InboundRouterService.Info);
        builder.AddInboundRouter();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<IngressOptions>>().Value;
    }
}

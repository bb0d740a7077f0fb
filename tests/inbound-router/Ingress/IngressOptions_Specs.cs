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

    /// <summary>
    /// A request waits for both, and a plain number binds as days: at "60" the linger's wait threw and stopped the router
    /// the first time it lingered, and the lookup's timeout threw for every event whose inbox's secret had to be looked up.
    /// </summary>
    [Theory]
    [InlineData("CommitLinger")]
    [InlineData("SecretLookupTimeout")]
    public void When_the_commit_linger_or_the_secret_lookup_is_longer_than_a_minute_Should_refuse_to_start_naming_them(string setting)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("00:00:10", (setting, "60")));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboundRouter:Ingress:CommitLinger and SecretLookupTimeout must be at most 00:01:00", StringComparison.Ordinal));
    }

    // A queue that holds no event would answer every event 503 at once.
    [Fact]
    public void When_the_ingress_would_hold_no_event_waiting_for_a_writer_Should_refuse_to_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("00:00:10", ("MaxQueued", "0")));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboundRouter:Ingress: sizes, counts and times must be positive", StringComparison.Ordinal));
    }

    private static IngressOptions Bind(string recordTimeout, (string Name, string Value)? more = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var settings = new Dictionary<string, string?> { ["InboundRouter:Ingress:RecordTimeout"] = recordTimeout };
        if (more is { } setting)
        {
            settings[$"InboundRouter:Ingress:{setting.Name}"] = setting.Value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults(InboundRouterService.Info);
        builder.AddInboundRouter();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<IngressOptions>>().Value;
    }
}

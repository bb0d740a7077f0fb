using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>The <c>{service section}:Outbox</c> settings as AddOutbox binds and checks them at start.</summary>
public sealed class OutboxOptions_Specs
{
    /// <summary>
    /// Each is waited by a timer, and a plain number binds as days: at "60" the poll's and the backoff's waits threw out
    /// of the relay's loop and stopped the host, and the publish's timeout failed every batch.
    /// </summary>
    [Theory]
    [InlineData("PollInterval")]
    [InlineData("PublishTimeout")]
    [InlineData("MaxBackoff")]
    public void When_a_wait_is_longer_than_an_hour_Should_refuse_to_start_naming_it(string setting)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind((setting, "60")));

        Assert.Contains(failure.Failures, f => f.StartsWith("Outbox:PollInterval, PublishTimeout and MaxBackoff must be at most 01:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_waits_are_an_hour_Should_start()
    {
        var options = Bind(("PollInterval", "01:00:00"), ("MaxBackoff", "01:00:00"));

        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(1)), (options.PollInterval, options.MaxBackoff));
    }

    private static OutboxOptions Bind(params (string Name, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new ServiceInfo("test-service", "TestService", 0, "test_service", typeof(OutboxOptions_Specs).Assembly));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"TestService:Outbox:{s.Name}", (string?)s.Value)))
            .Build());
        services.AddOutbox(OutboxTestHosts.Messages);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<OutboxOptions>>().Value;
    }
}

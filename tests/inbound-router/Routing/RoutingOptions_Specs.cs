using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>The <c>InboundRouter:Routing</c> settings as the router binds and checks them at start, beside its retention.</summary>
public sealed class RoutingOptions_Specs
{
    /// <summary>
    /// A look for missed mail that reaches further back than the routing decisions are kept finds mail whose decision is
    /// gone, and routes it a second time: said at start instead, as the README asks of the two settings.
    /// </summary>
    [Theory]
    [InlineData("7.00:00:00", "7.00:00:00")]
    [InlineData("10.00:00:00", "7.00:00:00")]
    [InlineData("5.00:00:00", "3.00:00:00")]
    public void When_the_missed_mail_window_reaches_past_what_is_kept_Should_refuse_to_start_naming_both(string window, string keepFor)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(window, keepFor));

        Assert.Contains(
            failure.Failures,
            f => f.Contains("InboundRouter:Routing:MissedMailWindow", StringComparison.Ordinal) && f.Contains("InboundRouter:Retention:KeepFor", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_missed_mail_window_is_within_what_is_kept_Should_start() =>
        Assert.Equal(TimeSpan.FromDays(5), Bind("5.00:00:00", "7.00:00:00").MissedMailWindow);

    // Parked mail nobody has looked at yet was kept for good; now it is swept after its own period, which must not be
    // shorter than that of what is done with.
    [Fact]
    public void When_parked_mail_would_be_kept_shorter_than_what_is_done_with_Should_refuse_to_start_naming_both()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("5.00:00:00", "7.00:00:00", unattendedKeepFor: "6.00:00:00"));

        Assert.Contains(
            failure.Failures,
            f => f.Contains("InboundRouter:Routing:UnattendedKeepFor", StringComparison.Ordinal) && f.Contains("InboundRouter:Retention:KeepFor", StringComparison.Ordinal));
    }

    [Fact]
    public void When_parked_mail_is_kept_no_shorter_than_what_is_done_with_Should_start() =>
        Assert.Equal(TimeSpan.FromDays(7), Bind("5.00:00:00", "7.00:00:00", unattendedKeepFor: "7.00:00:00").UnattendedKeepFor);

    /// <summary>
    /// Each is waited by a timer, and a plain number binds as days: at "60" the wait was past a timer's reach, threw and
    /// stopped the router (the scan and the retry at their first wait, a look for missed mail at its first failure).
    /// </summary>
    [Theory]
    [InlineData("ScanInterval")]
    [InlineData("RetryBaseDelay")]
    [InlineData("MissedMailRetryDelay")]
    public void When_a_wait_is_longer_than_an_hour_Should_refuse_to_start_naming_it(string setting)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("5.00:00:00", "7.00:00:00", more: (setting, "60")));

        Assert.Contains(
            failure.Failures,
            f => f.StartsWith("InboundRouter:Routing:ScanInterval, RetryBaseDelay and MissedMailRetryDelay must be at most 01:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_waits_are_an_hour_Should_start()
    {
        var options = Bind("5.00:00:00", "7.00:00:00", more: ("ScanInterval", "01:00:00"));

        Assert.Equal(TimeSpan.FromHours(1), options.ScanInterval);
    }

    private static RoutingOptions Bind(string window, string keepFor, string? unattendedKeepFor = null, (string Name, string Value)? more = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["InboundRouter:Routing:MissedMailWindow"] = window,
            ["InboundRouter:Retention:KeepFor"] = keepFor,
        };
        if (unattendedKeepFor is not null)
        {
            settings["InboundRouter:Routing:UnattendedKeepFor"] = unattendedKeepFor;
        }

        if (more is { } setting)
        {
            settings[$"InboundRouter:Routing:{setting.Name}"] = setting.Value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults(InboundRouterService.Info);
        builder.AddInboundRouter();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<RoutingOptions>>().Value;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>The <c>DeliveryTracker:Relay</c> settings as the relay's registration binds and checks them at start.</summary>
public sealed class RelayOptions_Specs
{
    /// <summary>A sender Resend refuses would fail every email for good while the tracker says it is ready: said at start instead.</summary>
    [Theory]
    [InlineData("OrdersMail")]
    [InlineData("Orders orders@ordersmail.example")]
    [InlineData("OrdersMail <orders@>")]
    [InlineData("OrdersMail\r\nBcc: all@example.com <orders@ordersmail.example>")]
    public void When_the_sender_is_not_an_address_the_providers_take_Should_refuse_to_start_naming_it(string from)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(from));

        Assert.Contains(failure.Failures, f => f.Contains("DeliveryTracker:Relay:From must", StringComparison.Ordinal));
    }

    /// <summary>Unset, the relay sent as orders@ordersmail.local, a domain no Resend account verifies: every email refused.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void When_the_sender_is_not_set_Should_refuse_to_start_naming_it(string? from)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(from));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:From must be set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("orders@ordersmail.example")]
    [InlineData("OrdersMail <orders@ordersmail.example>")]
    [InlineData("Acme, Inc. <orders@ordersmail.example>")]
    [InlineData("\"Acme, Inc.\" <orders@ordersmail.example>")]
    public void When_the_sender_is_an_address_the_providers_take_Should_start(string from) =>
        Assert.Equal(from, Bind(from).From);

    /// <summary>The scan waits the shorter of the two between looks: past a timer's reach its wait threw and stopped the host.</summary>
    [Theory]
    [InlineData("ScanInterval")]
    [InlineData("ClaimLease")]
    public void When_the_scan_or_the_claim_lease_is_longer_than_an_hour_Should_refuse_to_start_naming_them(string setting)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: (setting, "30.00:00:00")));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:ScanInterval and ClaimLease must be at most 01:00:00", StringComparison.Ordinal));
    }

    /// <summary>The providers forget a send's key after 24 h: a longer window would send an email whose answer was lost again, twice.</summary>
    [Theory]
    [InlineData("23:00:00.001")]
    [InlineData("2.00:00:00")]
    public void When_the_idempotency_window_is_longer_than_23_hours_Should_refuse_to_start_naming_it(string window)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: ("IdempotencyWindow", window)));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:IdempotencyWindow must be at most 23:00:00", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:20.001")]
    [InlineData("00:05:00")]
    public void When_the_stop_grace_is_longer_than_20_seconds_Should_refuse_to_start_naming_it(string grace)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: ("StopGrace", grace)));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:StopGrace must be at most 00:00:20", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_stop_grace_is_not_set_Should_start_with_10_seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(10), Bind("orders@ordersmail.example").StopGrace);

    [Fact]
    public void When_the_idempotency_window_is_zero_Should_refuse_to_start() =>
        Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: ("IdempotencyWindow", "00:00:00")));

    [Fact]
    public void When_the_idempotency_window_is_not_set_Should_start_with_23_hours() =>
        Assert.Equal(TimeSpan.FromHours(23), Bind("orders@ordersmail.example").IdempotencyWindow);

    /// <summary>
    /// An email waiting out an outage is sent again under its key until the patience runs out: as long as the window or
    /// longer, it would be waited on past the time the provider remembers the key.
    /// </summary>
    [Theory]
    [InlineData("23:00:00", null)]
    [InlineData("01:00:00", "01:00:00")]
    public void When_the_outage_patience_is_not_shorter_than_the_idempotency_window_Should_refuse_to_start_naming_it(string patience, string? window)
    {
        var settings = new List<(string, string)> { ("OutagePatience", patience) };
        if (window is not null)
        {
            settings.Add(("IdempotencyWindow", window));
        }

        var failure = Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", [.. settings]));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:OutagePatience must be shorter than IdempotencyWindow", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_outage_patience_is_negative_Should_refuse_to_start() =>
        Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: ("OutagePatience", "-00:00:01")));

    [Fact]
    public void When_the_outage_patience_is_not_set_Should_start_with_6_hours() =>
        Assert.Equal(TimeSpan.FromHours(6), Bind("orders@ordersmail.example").OutagePatience);

    [Fact]
    public void When_the_outage_patience_is_zero_Should_start_counting_every_outage_at_once() =>
        Assert.Equal(TimeSpan.Zero, Bind("orders@ordersmail.example", more: ("OutagePatience", "00:00:00")).OutagePatience);

    /// <summary>The first email of every batch waits the window; a plain number binds as days, and at "60" its timer threw and stopped the host.</summary>
    [Fact]
    public void When_the_batch_window_is_longer_than_a_second_Should_refuse_to_start_naming_it()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: ("BatchWindow", "60")));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:BatchWindow must be at most 00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_batch_window_is_a_second_Should_start() =>
        Assert.Equal(TimeSpan.FromSeconds(1), Bind("orders@ordersmail.example", more: ("BatchWindow", "00:00:01")).BatchWindow);

    /// <summary>Resend refuses a tag with any other character or longer than 256: every email would be refused with it.</summary>
    [Theory]
    [InlineData("", 1)]
    [InlineData("orders mail", 1)]
    [InlineData("ordersmail.eu", 1)]
    [InlineData("ördersmail", 1)]
    [InlineData("a", 257)]
    public void When_the_sender_tag_is_not_one_resend_takes_Should_refuse_to_start_naming_it(string part, int times)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("orders@ordersmail.example", more: ("SenderTag", string.Concat(Enumerable.Repeat(part, times)))));

        Assert.Contains(failure.Failures, f => f.StartsWith("DeliveryTracker:Relay:SenderTag must be 1 to 256 ASCII letters, digits, _ or -", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ordersmail-eu_2", 1)]
    [InlineData("a", 256)]
    public void When_the_sender_tag_is_one_resend_takes_Should_start_with_it(string part, int times)
    {
        var tag = string.Concat(Enumerable.Repeat(part, times));

        Assert.Equal(tag, Bind("orders@ordersmail.example", more: ("SenderTag", tag)).SenderTag);
    }

    [Fact]
    public void When_the_sender_tag_is_not_set_Should_start_with_ordersmail() =>
        Assert.Equal("ordersmail", Bind("orders@ordersmail.example").SenderTag);

    private static RelayOptions Bind(string? from, (string Name, string Value)? more = null) =>
        Bind(from, more is { } setting ? [setting] : []);

    private static RelayOptions Bind(string? from, (string Name, string Value)[] more)
    {
        var services = new ServiceCollection();
        var settings = new Dictionary<string, string?>();
        if (from is not null)
        {
            settings["DeliveryTracker:Relay:From"] = from;
        }

        foreach (var (name, value) in more)
        {
            settings[$"DeliveryTracker:Relay:{name}"] = value;
        }

        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOutboxRelay();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RelayOptions>>().Value;
    }
}

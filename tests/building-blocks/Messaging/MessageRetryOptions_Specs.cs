using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Tests.Hosting;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>
/// The <c>Messaging:Retry</c> settings every service's consumers retry by, checked at start: MassTransit takes a limit
/// of 0 or a negative interval without a word, then dead-letters the first message that fails with an index out of
/// range instead of its own exception, through a database outage it was meant to wait out.
/// </summary>
public sealed class MessageRetryOptions_Specs
{
    private static readonly ServiceInfo Service = TestServiceHost.Identity("retry-options-specs", typeof(MessageRetryOptions_Specs).Assembly);

    [Theory]
    [InlineData("Limit", "0")]
    [InlineData("OutageLimit", "-1")]
    [InlineData("MinInterval", "-00:00:00.100")]
    [InlineData("MaxInterval", "00:00:00.010")]
    [InlineData("OutageMaxInterval", "-00:00:00.001")]
    [InlineData("OutageMinInterval", "00:00:00")]
    [InlineData("MaxInterval", "1.00:00:00")]
    public void When_a_setting_is_unusable_Should_refuse_to_start_naming_the_section(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"Messaging:Retry:{key}"] = value }));

        Assert.Contains(failure.Failures, f => f.StartsWith("Messaging:Retry:", StringComparison.Ordinal) && f.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>
    /// The message is held unacknowledged through every retry's wait: past RabbitMQ's consumer_timeout (30 min) the
    /// broker closed the channel and requeued it with its retries counted afresh, so a message that always failed never
    /// reached _error. OutageLimit 120 at the 30 s cap waits about an hour.
    /// </summary>
    [Theory]
    [InlineData("OutageLimit", "120")]
    [InlineData("OutageLimit", "60")]
    [InlineData("OutageMaxInterval", "00:30:00")]
    [InlineData("Limit", "400")]
    public void When_the_retries_can_hold_a_message_past_the_brokers_consumer_timeout_Should_refuse_to_start_naming_them(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"Messaging:Retry:{key}"] = value }));

        Assert.Contains(
            failure.Failures,
            f => f.StartsWith("Messaging:Retry:", StringComparison.Ordinal) && f.Contains(key, StringComparison.Ordinal)
                && f.Contains("below RabbitMQ's consumer_timeout (00:30:00)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("OutageLimit", "50")]
    [InlineData("Limit", "250")]
    public void When_the_retries_hold_a_message_less_than_the_brokers_consumer_timeout_Should_start(string key, string value) =>
        Assert.NotNull(Bind(new() { [$"Messaging:Retry:{key}"] = value }));

    [Fact]
    public void When_nothing_is_set_Should_start_with_the_documented_retries() =>
        Assert.Equal((5, 26), (Bind([]).Limit, Bind([]).OutageLimit));

    /// <summary>
    /// A message dead-lettered by a database outage is an order that stops until ops move it back: 14 outage retries
    /// waited about 4 minutes (5 at the longest), so a PostgreSQL down for 5 to 10 left orders without their reply inbox.
    /// The hold must still stay clear of the broker's consumer_timeout with room for the attempts themselves, each up to
    /// the 30 s command timeout when a query is blocked every time, or the broker requeues the message with its retries
    /// counted afresh and it never reaches _error.
    /// </summary>
    [Fact]
    public void When_nothing_is_set_Should_hold_a_message_through_a_database_outage_of_ten_minutes_and_clear_of_the_brokers_timeout()
    {
        var options = Bind([]);
        var attemptsBlocked = (options.OutageLimit + 1) * TimeSpan.FromSeconds(30);

        Assert.InRange(options.LongestOutageHold, TimeSpan.FromMinutes(12), MessageRetryOptions.BrokerConsumerTimeout);
        Assert.True(
            options.LongestOutageHold + attemptsBlocked < MessageRetryOptions.BrokerConsumerTimeout,
            $"{options.LongestOutageHold} of waits and {attemptsBlocked} of blocked attempts pass the broker's {MessageRetryOptions.BrokerConsumerTimeout}");
    }

    /// <summary>A failure of the consumer's own is no outage: it reaches _error within seconds, not at the outage's pace.</summary>
    [Fact]
    public void When_nothing_is_set_Should_dead_letter_a_message_that_fails_on_its_own_within_seconds() =>
        Assert.InRange(Bind([]).LongestHold, TimeSpan.Zero, TimeSpan.FromSeconds(15));

    [Fact]
    public void When_every_setting_is_usable_Should_start_with_them()
    {
        var options = Bind(new() { ["Messaging:Retry:Limit"] = "2", ["Messaging:Retry:MinInterval"] = "00:00:00.050" });

        Assert.Equal((2, TimeSpan.FromMilliseconds(50)), (options.Limit, options.MinInterval));
    }

    private static MessageRetryOptions Bind(Dictionary<string, string?> settings) =>
        ServiceDefaultsServices.Read(Service, settings, services => services.GetRequiredService<IOptions<MessageRetryOptions>>().Value);
}

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
        Assert.Equal((5, 14), (Bind([]).Limit, Bind([]).OutageLimit));

    [Fact]
    public void When_every_setting_is_usable_Should_start_with_them()
    {
        var options = Bind(new() { ["Messaging:Retry:Limit"] = "2", ["Messaging:Retry:MinInterval"] = "00:00:00.050" });

        Assert.Equal((2, TimeSpan.FromMilliseconds(50)), (options.Limit, options.MinInterval));
    }

    private static MessageRetryOptions Bind(Dictionary<string, string?> settings) =>
        ServiceDefaultsServices.Read(Service, settings, services => services.GetRequiredService<IOptions<MessageRetryOptions>>().Value);
}

using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>The <c>Confirmation</c> settings as <see cref="ConfirmationModule.AddConfirmation"/> binds and checks them.</summary>
public sealed class ConfirmationOptions_Specs
{
    [Fact]
    public void When_nothing_is_configured_Should_wait_two_minutes_for_the_inbox_and_look_back_a_day()
    {
        var options = Bind([]);

        Assert.Equal(TimeSpan.FromMinutes(2), options.WaitForInbox);
        Assert.Equal(TimeSpan.FromDays(1), options.SweepLookBack);
        Assert.Equal(5, options.MaxAttempts);
    }

    [Theory]
    [InlineData("1.00:00:00", "1.00:00:00")]
    [InlineData("00:10:00", "00:05:00")]
    [InlineData("00:02:00", "00:02:03")]
    public void When_the_sweepers_window_cannot_hold_a_sweep_Should_refuse_to_start_saying_why(string waitForInbox, string sweepLookBack)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Confirmation:WaitForInbox"] = waitForInbox,
            ["Confirmation:SweepLookBack"] = sweepLookBack,
            ["Confirmation:SweepInterval"] = "00:00:05",
        }));

        Assert.Contains(ConfirmationOptions.SweepWindowTooShort, failure.Failures);
    }

    [Fact]
    public void When_the_window_holds_a_sweep_Should_bind_the_settings()
    {
        var options = Bind(new()
        {
            ["Confirmation:WaitForInbox"] = "00:02:00",
            ["Confirmation:SweepLookBack"] = "00:02:06",
            ["Confirmation:SweepInterval"] = "00:00:05",
        });

        Assert.Equal(TimeSpan.FromSeconds(126), options.SweepLookBack);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public void When_MaxAttempts_is_out_of_range_Should_refuse_to_start_naming_it(string maxAttempts)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Confirmation:MaxAttempts"] = maxAttempts }));

        Assert.Contains(failure.Failures, f => f.Contains("MaxAttempts", StringComparison.Ordinal));
    }

    /// <summary>
    /// The fallback's Reply-To had a default on a domain that never resolves: every customer whose inbox never came was
    /// told to reply, and the reply bounced. Only the shop knows which of its mailboxes is read.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void When_the_default_reply_to_is_not_set_Should_refuse_to_start_naming_it(string? replyTo)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => BindWithReplyTo(replyTo));

        Assert.Contains(failure.Failures, f => f.StartsWith("Confirmation:DefaultReplyTo must be set", StringComparison.Ordinal));
    }

    /// <summary>[EmailAddress] let these start, and the relay or Resend refused every fallback confirmation written with them.</summary>
    [Theory]
    [InlineData("orders@shop")]
    [InlineData("Shop, Inc. <help@shop.com>")]
    [InlineData("Shop <help@shop.com>")]
    [InlineData("help@shop.com, sales@shop.com")]
    [InlineData("hélp@shop.com")]
    public void When_the_default_reply_to_is_not_a_bare_address_the_providers_take_Should_refuse_to_start_naming_it(string replyTo)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => BindWithReplyTo(replyTo));

        Assert.Contains(failure.Failures, f => f.StartsWith("Confirmation:DefaultReplyTo must be set to a bare address", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_default_reply_to_is_a_bare_address_Should_start_with_it() =>
        Assert.Equal("help@shop.example", BindWithReplyTo("help@shop.example").DefaultReplyTo);

    private static ConfirmationOptions BindWithReplyTo(string? replyTo) =>
        BoundOptions.Of<ConfirmationOptions>(new() { ["Confirmation:DefaultReplyTo"] = replyTo }, services => services.AddConfirmation());

    private static ConfirmationOptions Bind(Dictionary<string, string?> settings) =>
        BoundOptions.Of<ConfirmationOptions>(new(settings) { ["Confirmation:DefaultReplyTo"] = "help@shop.example" }, services => services.AddConfirmation());
}

using System.Globalization;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Testing;
using StandardWebhooks;
using static OrdersMail.BuildingBlocks.Tests.Webhooks.SvixVectors;

namespace OrdersMail.BuildingBlocks.Tests.Webhooks;

/// <summary>What the verifier refuses, and why: each check on its own, with the V1 vector as the otherwise good message.</summary>
public sealed class SvixWebhookVerifierRefusal_Specs
{
    private readonly SvixWebhookVerifier _verifier = new(Secret, ManualClock.At(Timestamp));

    [Theory]
    [InlineData("{\"test\": 2432232315}")]
    [InlineData("{\"test\": 2432232314} ")]
    [InlineData("{\"test\":2432232314}")]
    [InlineData("")]
    public void When_theBody_was_tampered_with_Should_refuse_it(string body) =>
        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(body), Headers()).Refusal);

    [Fact]
    public void When_signed_with_another_secret_Should_refuse_it()
    {
        var other = new SvixWebhookVerifier("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", ManualClock.At(Timestamp));

        Assert.Equal(WebhookRefusal.NoMatchingSignature, other.Verify(Utf8(Body), Headers()).Refusal);
    }

    [Fact]
    public void When_anotherId_is_sent_Should_refuse_it() =>
        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(Body), Headers(id: "msg_other")).Refusal);

    [Theory]
    [InlineData(-300, null)]
    [InlineData(300, null)]
    [InlineData(-301, WebhookRefusal.FutureTimestamp)]
    [InlineData(301, WebhookRefusal.StaleTimestamp)]
    [InlineData(-86_400, WebhookRefusal.FutureTimestamp)]
    [InlineData(86_400, WebhookRefusal.StaleTimestamp)]
    public void Should_allow_five_minutes_either_way_and_not_a_second_more(long nowMinusSent, WebhookRefusal? expected)
    {
        var verifier = new SvixWebhookVerifier(Secret, ManualClock.At(Timestamp + nowMinusSent));

        Assert.Equal(expected, verifier.Verify(Utf8(Body), Headers()).Refusal);
    }

    [Fact]
    public void When_stale_and_badly_signed_Should_say_stale_as_Svix_does()
    {
        var verifier = new SvixWebhookVerifier(Secret, ManualClock.At(Timestamp + 301));

        Assert.Equal(WebhookRefusal.StaleTimestamp, verifier.Verify(Utf8(Body), Headers(signature: WrongSignature)).Refusal);
    }

    [Fact]
    public void With_theSystem_clock_Should_accept_a_message_signed_now_and_refuse_one_signed_an_hour_ago()
    {
        var library = new StandardWebhook(Secret);
        var now = DateTimeOffset.UtcNow;
        var verifier = new SvixWebhookVerifier(Secret);

        var fresh = verifier.Verify(Utf8(Body), Headers(timestamp: Seconds(now), signature: library.Sign(Id, now, Body)));
        var old = verifier.Verify(Utf8(Body), Headers(timestamp: Seconds(now.AddHours(-1)), signature: library.Sign(Id, now.AddHours(-1), Body)));

        Assert.True(fresh.IsVerified, fresh.ToString());
        Assert.Equal(WebhookRefusal.StaleTimestamp, old.Refusal);
    }

    [Theory]
    [InlineData("svix-id")]
    [InlineData("svix-timestamp")]
    [InlineData("svix-signature")]
    public void When_aHeader_is_missing_empty_or_repeated_Should_refuse_it(string name)
    {
        var missing = Headers();
        missing.Remove(name);
        var empty = Headers();
        empty[name] = "";
        var repeated = Headers();
        repeated[name] = new Microsoft.Extensions.Primitives.StringValues([repeated[name].ToString(), repeated[name].ToString()]);

        Assert.Equal(WebhookRefusal.MissingHeaders, _verifier.Verify(Utf8(Body), missing).Refusal);
        Assert.Equal(WebhookRefusal.MissingHeaders, _verifier.Verify(Utf8(Body), empty).Refusal);
        Assert.Equal(WebhookRefusal.MissingHeaders, _verifier.Verify(Utf8(Body), repeated).Refusal);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("1614265330abc")]
    [InlineData("1614265330.0")]
    [InlineData("+1614265330")]
    [InlineData(" 1614265330")]
    [InlineData("01614265330")]
    [InlineData("-1")]
    [InlineData("253402300800")]
    [InlineData("99999999999999999999999999")]
    public void When_theTimestamp_is_not_plain_Unix_seconds_Should_refuse_it(string timestamp) =>
        Assert.Equal(WebhookRefusal.InvalidTimestamp, _verifier.Verify(Utf8(Body), Headers(timestamp: timestamp)).Refusal);

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}

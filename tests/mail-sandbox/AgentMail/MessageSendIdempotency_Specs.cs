using System.Text.Json;
using OrdersMail.MailSandbox.AgentMail.Messages;
using OrdersMail.Testing;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The key table behind <c>Idempotency-Key</c>, without HTTP: the in-flight and expiry rules a spec over HTTP
/// cannot reach (docs/agentmail.md §5).
/// </summary>
public sealed class MessageSendIdempotency_Specs
{
    private static readonly SendMessageResponse Sent = new("<a@agentmail.to>", "6f1d2c3b-8a41-4f0e-9c55-0b7e2a9d1e44");
    private readonly ManualClock _clock = new();
    private readonly SendIdempotency _keys;

    public MessageSendIdempotency_Specs() => _keys = new SendIdempotency(_clock);

    [Fact]
    public void When_the_first_request_is_still_in_flight_Should_refuse_the_same_key_even_for_the_same_request()
    {
        Assert.True(_keys.Begin("k", "request").Claimed);

        var second = _keys.Begin("k", "request");

        Assert.False(second.Claimed);
        Assert.Null(second.Original);
        Assert.Contains("in progress", second.Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void When_completed_Should_replay_the_same_request_and_refuse_another()
    {
        _keys.Begin("k", "request");
        _keys.Complete("k", Sent);

        Assert.Equal(Sent, _keys.Begin("k", "request").Original);
        Assert.NotNull(_keys.Begin("k", "other request").Conflict);
    }

    [Fact]
    public void When_24_hours_have_passed_since_completion_Should_forget_the_key()
    {
        _keys.Begin("k", "request");
        _clock.Advance(TimeSpan.FromMinutes(5));
        _keys.Complete("k", Sent);

        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(Sent, _keys.Begin("k", "request").Original);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_keys.Begin("k", "other request").Claimed);
    }

    [Fact]
    public void When_abandoned_or_cleared_Should_free_the_key()
    {
        _keys.Begin("k", "request");
        _keys.Abandon("k");
        Assert.True(_keys.Begin("k", "other request").Claimed);

        _keys.Complete("k", Sent);
        _keys.Clear();
        Assert.True(_keys.Begin("k", "request").Claimed);
    }

    [Fact]
    public void When_bodies_differ_only_in_key_order_and_spacing_Should_fingerprint_them_alike()
    {
        using var first = JsonDocument.Parse("""{"to":["a@b.c"],"text":"hi","headers":{"X-B":"2","X-A":"1"}}""");
        using var second = JsonDocument.Parse("""{ "headers": { "X-A": "1", "X-B": "2" }, "text": "hi", "to": [ "a@b.c" ] }""");
        using var reordered = JsonDocument.Parse("""{"to":["b@b.c","a@b.c"],"text":"hi"}""");

        Assert.Equal(
            SendIdempotency.Fingerprint("messages.send", "x@agentmail.to", null, first.RootElement),
            SendIdempotency.Fingerprint("messages.send", "X@AgentMail.to", null, second.RootElement));
        Assert.NotEqual(CanonicalJson.Of(first.RootElement), CanonicalJson.Of(reordered.RootElement));
        Assert.NotEqual(
            SendIdempotency.Fingerprint("messages.send", "x@agentmail.to", null, first.RootElement),
            SendIdempotency.Fingerprint("messages.reply", "x@agentmail.to", "<m@x>", first.RootElement));
    }
}

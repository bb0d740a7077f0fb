using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>
/// What <c>POST /webhooks/agentmail</c> refuses, each refusal storing and publishing nothing: unsigned, mis-signed,
/// cross-tenant, stale, future, tampered, replayed, unparseable, oversize, unreadable, not UTF-8, not JSON; and what it answers 400
/// (verified, but not an event the router takes: no event id, ids too long to be keys, a type it does not take, a second
/// inbox named). Each is answered with a problem whose detail says what is wrong. A verified event the router takes but
/// cannot read is set aside instead (<see cref="UnreadableEvents_Specs"/>).
/// </summary>
public sealed class IngressRefusal_Specs : IAsyncLifetime
{
    private const string NoMatchingSignature = "No v1 entry of svix-signature signs this";

    private readonly RouterWorld _world = new();
    private (string InboxId, string WebhookId, string Secret) _inbox;
    private (string InboxId, string WebhookId, string Secret) _otherInbox;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _inbox = await _world.ProvisionAsync("ORD-REFUSE1");
        _otherInbox = await _world.ProvisionAsync("ORD-REFUSE2");
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_refuse_a_delivery_without_a_signature()
    {
        var body = ReceivedEvents.For(_inbox.InboxId);

        var answer = await PostAsync(body, new Dictionary<string, string> { ["svix-id"] = "msg_unsigned" });

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, "svix-signature headers are required");
    }

    [Fact]
    public async Task Should_refuse_a_delivery_signed_with_a_secret_that_is_not_the_inboxes()
    {
        var body = ReceivedEvents.For(_inbox.InboxId);

        var answer = await PostAsync(body, SvixSigner.Headers("whsec_" + Convert.ToBase64String(new byte[24]), "msg_wrong", DateTimeOffset.UtcNow, body));

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, NoMatchingSignature);
    }

    [Fact]
    public async Task Should_refuse_a_delivery_about_one_inbox_signed_with_another_inboxes_secret()
    {
        var body = ReceivedEvents.For(_inbox.InboxId);

        var answer = await PostAsync(body, SvixSigner.Headers(_otherInbox.Secret, "msg_cross_tenant", DateTimeOffset.UtcNow, body));

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, NoMatchingSignature);
    }

    [Fact]
    public async Task Should_refuse_a_delivery_about_an_inbox_it_does_not_know_in_the_words_of_a_signature_that_does_not_match()
    {
        var body = ReceivedEvents.For("nobody@agentmail.example");

        var answer = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_unknown_inbox", DateTimeOffset.UtcNow, body));

        // The same answer as a wrong secret: a prober learns nothing about which inboxes exist.
        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, NoMatchingSignature);
    }

    // A minute past the tolerance, not one second: the request reaches the server a moment after it is signed, and a
    // "future" timestamp one second out can be inside the window by then. The exact edge (±300 s accepted, ±301 s
    // refused) is proven on a pinned clock in tests/building-blocks/Webhooks.
    [Theory]
    [InlineData(-360)]
    [InlineData(360)]
    public async Task Should_refuse_a_delivery_whose_timestamp_is_over_five_minutes_away(int seconds)
    {
        var body = ReceivedEvents.For(_inbox.InboxId);

        var answer = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, $"msg_skew_{seconds}", DateTimeOffset.UtcNow.AddSeconds(seconds), body));

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, seconds < 0 ? "more than 5 minutes in the past" : "more than 5 minutes in the future");
    }

    [Fact]
    public async Task Should_refuse_a_body_changed_after_it_was_signed()
    {
        var body = ReceivedEvents.For(_inbox.InboxId);
        var headers = SvixSigner.Headers(_inbox.Secret, "msg_tampered", DateTimeOffset.UtcNow, body);

        var answer = await PostAsync(ReceivedEvents.For(_inbox.InboxId, subject: "Refund me twice"), headers);

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, NoMatchingSignature);
    }

    [Fact]
    public async Task Should_refuse_the_replay_of_a_delivery_made_long_ago_even_under_its_recorded_svix_id()
    {
        var body = ReceivedEvents.For(_inbox.InboxId);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_replayed", DateTimeOffset.UtcNow, body))).StatusCode);
        var recorded = await _world.CountAsync("received_events");

        var replay = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_replayed", DateTimeOffset.UtcNow.AddMinutes(-10), body));

        Assert.Contains("more than 5 minutes in the past", await ProblemAnswer.DetailAsync(replay, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Equal(recorded, await _world.CountAsync("received_events"));
    }

    [Fact]
    public async Task Should_refuse_malformed_json_as_unverifiable_rather_than_as_a_parse_error()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"event\",\"message\":{\"inbox_id\":");

        var answer = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_malformed", DateTimeOffset.UtcNow, body));

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, "not a JSON event naming an inbox");
    }

    [Fact]
    public async Task Should_refuse_a_body_that_is_not_utf8()
    {
        // The serializer would escape é as \u00e9 (plain ASCII); written raw in Latin-1 it is the byte 0xE9, never valid UTF-8.
        var json = Encoding.UTF8.GetString(ReceivedEvents.For(_inbox.InboxId)).Replace("Where is my order?", "Caf\u00e9 ferm\u00e9?", StringComparison.Ordinal);
        var latin1 = Encoding.Latin1.GetBytes(json);

        var answer = await PostAsync(latin1, SvixSigner.Headers(_inbox.Secret, "msg_latin1", DateTimeOffset.UtcNow, latin1));

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, "not valid UTF-8");
    }

    // The inbox is read before anything is verified, so whatever an unsigned body puts there must be refused like any
    // unverifiable body: an escaped lone surrogate and a raw byte that is not UTF-8 are both valid JSON to the parser
    // and were answered 500 when read as text; a NUL failed the secret's lookup, as if the database were down.
    [Theory]
    [InlineData("\\ud800")]
    [InlineData("inbox\xff")]
    [InlineData("inbox\\u0000x")]
    public async Task Should_refuse_an_unsigned_body_whose_inbox_is_not_text_as_unverifiable(string inboxId)
    {
        var body = Encoding.Latin1.GetBytes($$$"""{"type":"event","event_type":"message.received","message":{"inbox_id":"{{{inboxId}}}"}}""");

        var answer = await PostAsync(body, new Dictionary<string, string> { ["svix-id"] = "msg_not_text" });

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, "not a JSON event naming an inbox");
    }

    // No inbox id is that long, and an unverified one is logged with the refusal: a megabyte of it is not.
    [Fact]
    public async Task Should_refuse_an_unsigned_body_naming_an_inbox_longer_than_any_id_as_unverifiable()
    {
        var body = ReceivedEvents.For(new string('x', 100_000) + "@agentmail.example");

        var answer = await PostAsync(body, new Dictionary<string, string> { ["svix-id"] = "msg_long_inbox" });

        await AssertRefusedAsync(answer, HttpStatusCode.Unauthorized, "not a JSON event naming an inbox");
    }

    [Fact]
    public async Task Should_refuse_a_body_over_the_size_limit_with_413()
    {
        var body = ReceivedEvents.For(_inbox.InboxId, text: new string('a', 1_200_000));

        var answer = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_oversize", DateTimeOffset.UtcNow, body));

        await AssertRefusedAsync(answer, HttpStatusCode.RequestEntityTooLarge, "over the limit of 1114112 bytes");
    }

    [Fact]
    public async Task Should_refuse_a_chunked_body_that_cannot_be_read_with_400_not_a_server_error()
    {
        var answer = await MalformedChunkedRequest.PostAsync(new Uri(_world.Router.WebhookUrl));

        await AssertRefusedAsync(answer, HttpStatusCode.BadRequest, "chunk");
    }

    [Fact]
    public async Task Should_refuse_a_body_that_is_not_json_by_its_content_type_with_415()
    {
        var body = ReceivedEvents.For(_inbox.InboxId);

        var answer = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_text", DateTimeOffset.UtcNow, body), "text/plain");

        await AssertRefusedAsync(answer, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task Should_answer_400_with_the_reason_for_a_verified_event_of_a_type_it_does_not_take_or_without_an_event_id()
    {
        var unknown = Encoding.UTF8.GetBytes($$$"""{"type":"event","event_type":"message.opened","event_id":"evt_open","open":{"inbox_id":"{{{_inbox.InboxId}}}","message_id":"<m@x>"}}""");
        var anonymous = Encoding.UTF8.GetBytes($$$"""{"type":"event","event_type":"message.received","message":{"inbox_id":"{{{_inbox.InboxId}}}"}}""");

        var first = await PostAsync(unknown, SvixSigner.Headers(_inbox.Secret, "msg_unknown_type", DateTimeOffset.UtcNow, unknown));
        var second = await PostAsync(anonymous, SvixSigner.Headers(_inbox.Secret, "msg_no_event_id", DateTimeOffset.UtcNow, anonymous));

        Assert.Contains("message.opened", await ProblemAnswer.DetailAsync(first, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("event_id is missing", await ProblemAnswer.DetailAsync(second, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(0, await _world.CountAsync("received_events"));
        Assert.Equal(0, await _world.CountAsync("outbox_messages"));
    }

    // Signed with one inbox's secret and naming another is refused as such, however incomplete the event: it is not set
    // aside as an event that could not be read.
    [Fact]
    public async Task Should_answer_400_for_a_verified_event_naming_another_inbox_even_when_it_lacks_fields()
    {
        var body = ReceivedEvents.With(ReceivedEvents.For(_inbox.InboxId), e =>
        {
            e["message"]!.AsObject().Remove("from");
            e["thread"] = new System.Text.Json.Nodes.JsonObject { ["inbox_id"] = _otherInbox.InboxId };
        });

        var answer = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, "msg_two_inboxes", DateTimeOffset.UtcNow, body));

        Assert.Contains("names two inboxes", await ProblemAnswer.DetailAsync(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(0, await _world.CountAsync("received_events"));
    }

    // Ids are unique-index keys; one too long for an index entry failed its whole group commit, answered 503 for good.
    // Without keys the event cannot even be set aside (a message_id too long is: UnreadableEvents_Specs).
    [Fact]
    public async Task Should_answer_400_for_a_verified_event_whose_ids_are_too_long_to_be_keys()
    {
        var longId = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6000));
        var body = ReceivedEvents.For(_inbox.InboxId);
        var longEventId = ReceivedEvents.With(body, e => e["event_id"] = $"evt_{longId}");

        var svixId = await PostAsync(body, SvixSigner.Headers(_inbox.Secret, $"msg_{longId}", DateTimeOffset.UtcNow, body));
        var eventId = await PostAsync(longEventId, SvixSigner.Headers(_inbox.Secret, "msg_long_event_id", DateTimeOffset.UtcNow, longEventId));

        Assert.Contains("svix-id is longer than 256 bytes", await ProblemAnswer.DetailAsync(svixId, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("event_id is longer than 256 bytes", await ProblemAnswer.DetailAsync(eventId, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(0, await _world.CountAsync("received_events"));
        Assert.Equal(0, await _world.CountAsync("outbox_messages"));
    }

    // PostgreSQL's text cannot hold a NUL: a key holding one failed its insert, and with it every event of its group commit,
    // whichever tenant's, answered 503 on every retry; set aside, it failed the same way.
    [Fact]
    public async Task Should_answer_400_naming_a_key_that_holds_a_nul_while_an_event_beside_it_is_recorded()
    {
        var nulEventId = ReceivedEvents.With(ReceivedEvents.For(_inbox.InboxId), e => e["event_id"] = "evt\u0000x");
        var nulAndUnreadable = ReceivedEvents.With(ReceivedEvents.For(_inbox.InboxId), e =>
        {
            e["event_id"] = "evt\u0000y";
            e["message"]!.AsObject().Remove("from");
        });
        var innocent = ReceivedEvents.For(_otherInbox.InboxId);

        var answers = await Task.WhenAll(
            PostAsync(nulEventId, SvixSigner.Headers(_inbox.Secret, "msg_nul_event_id", DateTimeOffset.UtcNow, nulEventId)),
            PostAsync(nulAndUnreadable, SvixSigner.Headers(_inbox.Secret, "msg_nul_unreadable", DateTimeOffset.UtcNow, nulAndUnreadable)),
            PostAsync(innocent, SvixSigner.Headers(_otherInbox.Secret, "msg_beside_nul", DateTimeOffset.UtcNow, innocent)));

        Assert.Contains("event_id holds a NUL character", await ProblemAnswer.DetailAsync(answers[0], HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("event_id holds a NUL character", await ProblemAnswer.DetailAsync(answers[1], HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, answers[2].StatusCode);
        Assert.Equal(1, await _world.CountAsync("received_events"));
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, Dictionary<string, string> headers, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/agentmail") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _world.Client.SendAsync(request);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage answer, HttpStatusCode expected, string saying)
    {
        Assert.Contains(saying, await ProblemAnswer.DetailAsync(answer, expected), StringComparison.Ordinal);
        Assert.Equal(0, await _world.CountAsync("received_events"));
        Assert.Equal(0, await _world.CountAsync("outbox_messages"));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>The <c>Idempotency-Key</c> header of send and reply, over HTTP (docs/agentmail.md §5).</summary>
public sealed class MessageIdempotency_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IDisposable
{
    private readonly MessageApi _api = new(factory);

    [Fact]
    public async Task When_a_reply_is_replayed_with_its_key_Should_answer_the_same_ids_and_send_nothing_again()
    {
        var inbox = await _api.CreateInboxAsync("idem-replay");
        await using var receiver = await WebhookReceiver.StartAsync();
        await _api.ListenAsync(receiver, inbox, "message.sent", "message.delivered");
        var original = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "PO 4821" });
        var reply = $"{MessageApi.Message(inbox, (string)original["message_id"]!)}/reply";
        var key = $"order-{Guid.NewGuid():N}-ack";

        var first = await _api.PostAsync(reply, """{"text":"Confirmed.","html":"<p>Confirmed.</p>"}""", key);
        var replay = await _api.PostAsync(reply, """{ "html": "<p>Confirmed.</p>",  "text": "Confirmed." }""", key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Single((await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=sent"))["messages"]!.AsArray());
        await receiver.WaitForAsync(2, MessageApi.Patience);
        await Task.Delay(MessageApi.Quiet);
        Assert.Single(MessageApi.Events(receiver, "message.sent"));
        Assert.Single(MessageApi.Events(receiver, "message.delivered"));
    }

    [Fact]
    public async Task When_a_key_is_reused_for_another_body_inbox_or_endpoint_Should_answer_409_ConflictError()
    {
        var inbox = await _api.CreateInboxAsync("idem-conflict");
        var other = await _api.CreateInboxAsync("idem-conflict-other");
        var original = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "PO" });
        var key = $"send-{Guid.NewGuid():N}";
        const string body = """{"to":"jane@acme.example","subject":"Confirmed"}""";
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", body, key)).StatusCode);

        var otherBody = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"to":"jane@acme.example","subject":"Changed"}""", key);
        var otherInbox = await _api.PostAsync($"{MessageApi.Messages(other)}/send", body, key);
        var otherEndpoint = await _api.PostAsync($"{MessageApi.Message(inbox, (string)original["message_id"]!)}/reply", body, key);

        foreach (var conflict in new[] { otherBody, otherInbox, otherEndpoint })
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            var error = (await conflict.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("ConflictError", (string)error["name"]!);
            Assert.Equal("conflict", (string)error["code"]!);
        }

        Assert.Single((await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=sent"))["messages"]!.AsArray());
        Assert.Empty((await _api.GetOkAsync(MessageApi.Messages(other)))["messages"]!.AsArray());
    }

    [Fact]
    public async Task When_the_key_header_is_present_but_empty_Should_answer_400_ValidationError()
    {
        // The in-memory test server drops empty header values; real sockets carry them, so this one spec runs the
        // sandbox on a loopback port.
        await using var overSockets = await MailSandboxServer.StartAsync();
        var agentMail = new HttpClient { BaseAddress = overSockets.BaseUrl };
        agentMail.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "am_test_key");
        using var api = new MessageApi(agentMail, new HttpClient { BaseAddress = overSockets.BaseUrl });
        var inbox = await api.CreateInboxAsync("idem-empty");

        var response = await api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"to":"jane@acme.example"}""", "");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_error", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
        Assert.Empty((await api.GetOkAsync(MessageApi.Messages(inbox)))["messages"]!.AsArray());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("order/42")]
    [InlineData("order#42")]
    public async Task When_the_key_is_malformed_Should_answer_400_ValidationError(string key)
    {
        var inbox = await _api.CreateInboxAsync("idem-bad");

        var response = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"to":"jane@acme.example"}""", key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_error", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
        Assert.Empty((await _api.GetOkAsync(MessageApi.Messages(inbox)))["messages"]!.AsArray());
    }

    [Fact]
    public async Task When_the_key_is_256_characters_Should_accept_it_but_not_257()
    {
        var inbox = await _api.CreateInboxAsync("idem-long");
        var longest = string.Concat(Enumerable.Repeat("a-b.c_d~", 32));

        var accepted = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"to":"jane@acme.example"}""", longest);
        var tooLong = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"to":"jane@acme.example"}""", longest + "x");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task When_the_keyed_request_failed_Should_free_the_key_for_the_corrected_request()
    {
        var inbox = await _api.CreateInboxAsync("idem-failed");
        var key = $"send-{Guid.NewGuid():N}";

        var failed = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"subject":"no recipient"}""", key);
        var corrected = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", """{"to":"jane@acme.example","subject":"fixed"}""", key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
    }

    public void Dispose() => _api.Dispose();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>Replying to a received message, and the outbound events it raises (docs/agentmail.md §4, §5).</summary>
public sealed class MessageReply_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IDisposable
{
    private readonly MessageApi _api = new(factory);

    [Fact]
    public async Task When_replying_Should_send_Re_subject_to_the_sender_in_the_same_thread_with_threading_headers()
    {
        var inbox = await _api.CreateInboxAsync("reply", "Acme Orders");
        var original = await _api.DeliverAsync(inbox, new { from = "Jane Buyer <jane@acme.example>", subject = "PO 4821", text = "Please ship.", references = new List<string> { "<older@acme.example>" } });
        var originalId = (string)original["message_id"]!;

        var sent = await _api.PostOkAsync($"{MessageApi.Message(inbox, originalId)}/reply", new { text = "Confirmed.", html = "<p>Confirmed.</p>", labels = new List<string> { "order-ack" } });

        Assert.Equal((string)original["thread_id"]!, (string)sent["thread_id"]!);
        Assert.Equal(["message_id", "thread_id"], sent.Select(p => p.Key));
        var reply = await _api.GetOkAsync(MessageApi.Message(inbox, (string)sent["message_id"]!));
        Assert.Equal("Re: PO 4821", (string)reply["subject"]!);
        Assert.Equal(originalId, (string)reply["in_reply_to"]!);
        Assert.Equal(["<older@acme.example>", originalId], reply["references"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["Jane Buyer <jane@acme.example>"], reply["to"]!.AsArray().Select(t => (string)t!));
        Assert.Equal($"Acme Orders <{inbox}>", (string)reply["from"]!);
        Assert.Equal(["sent", "order-ack"], reply["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Equal("Confirmed.", (string)reply["text"]!);
        Assert.Equal((string)original["thread_id"]!, (string)reply["thread_id"]!);
    }

    [Fact]
    public async Task When_the_subject_already_starts_with_Re_Should_not_double_the_prefix()
    {
        var inbox = await _api.CreateInboxAsync("reply-re");
        var original = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "RE: PO 4821" });

        var sent = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)original["message_id"]!)}/reply", new { text = "ok", cc = "ops@acme.example" });

        var reply = await _api.GetOkAsync(MessageApi.Message(inbox, (string)sent["message_id"]!));
        Assert.Equal("RE: PO 4821", (string)reply["subject"]!);
        Assert.Equal(["ops@acme.example"], reply["cc"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task When_the_original_has_a_Reply_To_or_is_the_inbox_own_mail_Should_reply_to_that_or_to_its_recipients()
    {
        var inbox = await _api.CreateInboxAsync("reply-to");
        var inbound = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", reply_to = "orders@acme.example", subject = "PO" });
        var own = await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new { to = "bob@acme.example", subject = "Quote" });

        var toReplyTo = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)inbound["message_id"]!)}/reply", new { text = "ok" });
        var followUp = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)own["message_id"]!)}/reply", new { text = "any news?" });
        var redirected = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)own["message_id"]!)}/reply", new { text = "fyi", to = new List<string> { "carol@acme.example" } });

        Assert.Equal(["orders@acme.example"], (await _api.GetOkAsync(MessageApi.Message(inbox, (string)toReplyTo["message_id"]!)))["to"]!.AsArray().Select(t => (string)t!));
        var followUpMessage = await _api.GetOkAsync(MessageApi.Message(inbox, (string)followUp["message_id"]!));
        Assert.Equal(["bob@acme.example"], followUpMessage["to"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("Re: Quote", (string)followUpMessage["subject"]!);
        Assert.Equal(["carol@acme.example"], (await _api.GetOkAsync(MessageApi.Message(inbox, (string)redirected["message_id"]!)))["to"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task When_replying_all_Should_copy_the_other_recipients_but_not_the_inbox()
    {
        var inbox = await _api.CreateInboxAsync("reply-all");
        var original = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", to = new[] { inbox, "bob@acme.example" }, cc = "ops@acme.example", subject = "PO" });

        var sent = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)original["message_id"]!)}/reply", new { text = "ok", reply_all = true });

        var reply = await _api.GetOkAsync(MessageApi.Message(inbox, (string)sent["message_id"]!));
        Assert.Equal(["jane@acme.example"], reply["to"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["bob@acme.example", "ops@acme.example"], reply["cc"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task When_a_reply_is_sent_Should_raise_message_sent_then_message_delivered()
    {
        var inbox = await _api.CreateInboxAsync("reply-events");
        await using var receiver = await WebhookReceiver.StartAsync();
        var hook = await _api.ListenAsync(receiver, inbox, "message.sent", "message.delivered", "message.bounced");
        var original = await _api.DeliverAsync(inbox, new { from = "Jane Buyer <jane@acme.example>", subject = "PO" });

        var sent = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)original["message_id"]!)}/reply", new { text = "ok", bcc = "audit@acme.example" });

        await receiver.WaitForAsync(2, MessageApi.Patience);
        await Task.Delay(MessageApi.Quiet);
        var sendEvent = Assert.Single(MessageApi.Events(receiver, "message.sent"));
        var deliveryEvent = Assert.Single(MessageApi.Events(receiver, "message.delivered"));
        Assert.Empty(MessageApi.Events(receiver, "message.bounced"));
        foreach (var (payload, key) in new[] { (sendEvent, "send"), (deliveryEvent, "delivery") })
        {
            Assert.Equal("event", (string)payload["type"]!);
            var notice = payload[key]!;
            Assert.Equal(inbox, (string)notice["inbox_id"]!);
            Assert.Equal((string)sent["thread_id"]!, (string)notice["thread_id"]!);
            Assert.Equal((string)sent["message_id"]!, (string)notice["message_id"]!);
            Assert.NotNull(notice["timestamp"]);
            Assert.Equal(["jane@acme.example", "audit@acme.example"], notice["recipients"]!.AsArray().Select(r => (string)r!));
        }

        var attempts = await factory.AttemptsAsync($"?endpoint_id={(string)hook["webhook_id"]!}");
        Assert.Equal(["message.delivered", "message.sent"], attempts.Select(a => (string)a!["event_type"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_the_recipient_bounces_Should_raise_message_bounced_instead_of_delivered()
    {
        var inbox = await _api.CreateInboxAsync("reply-bounce");
        var bouncing = $"gone-{Guid.NewGuid():N}@acme.example";
        await _api.MarkBouncingAsync(bouncing);
        await using var receiver = await WebhookReceiver.StartAsync();
        await _api.ListenAsync(receiver, inbox, "message.sent", "message.delivered", "message.bounced");
        var original = await _api.DeliverAsync(inbox, new { from = $"Gone <{bouncing}>", subject = "PO" });

        var sent = await _api.PostOkAsync($"{MessageApi.Message(inbox, (string)original["message_id"]!)}/reply", new { text = "ok" });

        await receiver.WaitForAsync(2, MessageApi.Patience);
        await Task.Delay(MessageApi.Quiet);
        Assert.Single(MessageApi.Events(receiver, "message.sent"));
        Assert.Empty(MessageApi.Events(receiver, "message.delivered"));
        var bounce = Assert.Single(MessageApi.Events(receiver, "message.bounced"))["bounce"]!;
        Assert.Equal((string)sent["message_id"]!, (string)bounce["message_id"]!);
        Assert.Equal((string)sent["thread_id"]!, (string)bounce["thread_id"]!);
        Assert.Equal(inbox, (string)bounce["inbox_id"]!);
        Assert.Equal("Permanent", (string)bounce["type"]!);
        Assert.Equal("General", (string)bounce["sub_type"]!);
        var recipient = Assert.Single(bounce["recipients"]!.AsArray())!;
        Assert.Equal(bouncing, (string)recipient["address"]!);
        Assert.Equal("bounced", (string)recipient["status"]!);
    }

    [Fact]
    public async Task When_replying_to_an_unknown_message_or_inbox_Should_answer_404()
    {
        var inbox = await _api.CreateInboxAsync("reply-404");

        var noMessage = await _api.Client.PostAsJsonAsync($"{MessageApi.Message(inbox, "<missing@acme.example>")}/reply", new { text = "ok" });
        var noInbox = await _api.Client.PostAsJsonAsync($"{MessageApi.Message($"nobody-{Guid.NewGuid():N}@agentmail.to", "<missing@acme.example>")}/reply", new { text = "ok" });

        Assert.Equal(HttpStatusCode.NotFound, noMessage.StatusCode);
        Assert.Equal("Message not found", (string)(await noMessage.Content.ReadFromJsonAsync<JsonObject>())!["message"]!);
        Assert.Equal(HttpStatusCode.NotFound, noInbox.StatusCode);
    }

    public void Dispose() => _api.Dispose();
}

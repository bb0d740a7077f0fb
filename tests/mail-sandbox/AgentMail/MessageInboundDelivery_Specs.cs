using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// "A customer sends this email to inbox X" through the control API: the stored message, and the
/// <c>message.received</c> event (docs/agentmail.md §4, §5).
/// </summary>
public sealed class MessageInboundDelivery_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IDisposable
{
    private readonly MessageApi _api = new(factory);

    [Fact]
    public async Task When_a_customer_emails_an_inbox_Should_store_a_received_unread_message_readable_by_raw_and_encoded_id()
    {
        var inbox = await _api.CreateInboxAsync("inbound", "Acme Orders");

        var delivered = await _api.DeliverAsync(inbox, new
        {
            from = "Jane Buyer <jane@acme.example>",
            cc = "ops@acme.example",
            subject = "PO 4821: 20 x SKU-123",
            text = "Hi, please ship 20 units of SKU-123 to our Berlin office.\n\nOn Mon, Sep 1, 2026 Acme wrote:\n> earlier",
            html = "<div>Hi, please ship 20 units</div>",
        });

        var messageId = (string)delivered["message_id"]!;
        Assert.Matches("^<[^<>@]+@[^<>@]+>$", messageId);
        Assert.True(Guid.TryParse((string)delivered["thread_id"]!, out _));
        Assert.Equal(["received", "unread"], delivered["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Equal([$"Acme Orders <{inbox}>"], delivered["to"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["ops@acme.example"], delivered["cc"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("Hi, please ship 20 units of SKU-123 to our Berlin office.", (string)delivered["extracted_text"]!);
        Assert.StartsWith("Hi, please ship 20 units of SKU-123 to our Berlin office. On Mon", (string)delivered["preview"]!, StringComparison.Ordinal);
        Assert.True((long)delivered["size"]! > 0);
        Assert.NotNull(delivered["timestamp"]);

        var encoded = await _api.GetOkAsync(MessageApi.Message(inbox, messageId));
        var raw = await _api.GetOkAsync($"/agentmail/v0/inboxes/{inbox}/messages/{messageId}");
        Assert.Equal(delivered.ToJsonString(), encoded.ToJsonString());
        Assert.Equal(delivered.ToJsonString(), raw.ToJsonString());
        Assert.Equal("Jane Buyer <jane@acme.example>", (string)raw["from"]!);
        Assert.Null(raw["reply_to"]);
        Assert.Null(raw["in_reply_to"]);
    }

    [Fact]
    public async Task When_the_email_carries_a_Message_ID_header_Should_keep_it_as_the_message_id()
    {
        var inbox = await _api.CreateInboxAsync("inbound-id");

        var delivered = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "Hi", text = "x", headers = new Dictionary<string, string> { ["Message-ID"] = "<CAF3k9Qx7e1@mail.gmail.com>", ["X-Mailer"] = "Gmail" } });

        Assert.Equal("<CAF3k9Qx7e1@mail.gmail.com>", (string)delivered["message_id"]!);
        Assert.Equal("Gmail", (string)delivered["headers"]!["X-Mailer"]!);
        var again = await _api.PostDeliveryAsync(inbox, new { from = "jane@acme.example", headers = new Dictionary<string, string> { ["Message-ID"] = "<CAF3k9Qx7e1@mail.gmail.com>" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task When_the_sender_is_missing_or_invalid_or_the_inbox_unknown_Should_answer_400_and_404()
    {
        var inbox = await _api.CreateInboxAsync("inbound-bad");

        var missing = await _api.PostDeliveryAsync(inbox, new { subject = "no sender" });
        var invalid = await _api.PostDeliveryAsync(inbox, new { from = "not an address", subject = "x" });
        var unknown = await _api.PostDeliveryAsync($"nobody-{Guid.NewGuid():N}@agentmail.to", new { from = "jane@acme.example" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("validation_error", (string)(await missing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
        Assert.Equal(["from"], (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![0]!["path"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Inbox not found", (string)(await unknown.Content.ReadFromJsonAsync<JsonObject>())!["message"]!);
    }

    [Fact]
    public async Task When_a_message_or_inbox_does_not_exist_Should_answer_NotFoundError()
    {
        var inbox = await _api.CreateInboxAsync("inbound-404");

        var noMessage = await _api.Client.GetAsync(MessageApi.Message(inbox, "<missing@acme.example>"));
        var noInbox = await _api.Client.GetAsync(MessageApi.Message($"nobody-{Guid.NewGuid():N}@agentmail.to", "<missing@acme.example>"));

        Assert.Equal(HttpStatusCode.NotFound, noMessage.StatusCode);
        var body = (await noMessage.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("NotFoundError", (string)body["name"]!);
        Assert.Equal("not_found", (string)body["code"]!);
        Assert.Equal("Message not found", (string)body["message"]!);
        Assert.Equal(HttpStatusCode.NotFound, noInbox.StatusCode);
    }

    [Fact]
    public async Task When_the_sender_fails_authentication_Should_raise_only_the_unauthenticated_event_and_list_it_only_when_asked()
    {
        var inbox = await _api.CreateInboxAsync("inbound-spoofed");
        await using var received = await WebhookReceiver.StartAsync();
        await using var unauthenticated = await WebhookReceiver.StartAsync();
        await _api.CreateInboxWebhookAsync(inbox, received.Url("/received"), ["message.received"]);
        await _api.CreateInboxWebhookAsync(inbox, unauthenticated.Url("/unauthenticated"), ["message.received.unauthenticated"]);

        var delivered = await _api.DeliverAsync(inbox, new { from = "ceo@acme.example", subject = "Wire the money", text = "Now.", authenticated = false });

        var raised = JsonNode.Parse((await unauthenticated.WaitForAsync(1, MessageApi.Patience)).Single().Body)!;
        Assert.Equal("message.received.unauthenticated", (string)raised["event_type"]!);
        Assert.Equal((string)delivered["message_id"]!, (string)raised["message"]!["message_id"]!);
        Assert.Equal(["received", "unread", "unauthenticated"], delivered["labels"]!.AsArray().Select(l => (string)l!));
        await Task.Delay(MessageApi.Quiet);
        Assert.Empty(received.Received);
        var path = $"/agentmail/v0/inboxes/{Uri.EscapeDataString(inbox)}/messages";
        Assert.Empty((await _api.GetOkAsync(path))["messages"]!.AsArray());
        Assert.Single((await _api.GetOkAsync($"{path}?include_unauthenticated=true"))["messages"]!.AsArray());
    }

    // AgentMail's filter stores mail it takes for spam, raises it only as message.received.spam and lists it only when
    // asked (include_spam); the sandbox raised every delivery as message.received, so no spec could play such mail.
    [Fact]
    public async Task When_the_mail_is_marked_spam_Should_raise_only_the_spam_event_signed_as_any_and_list_it_only_when_asked()
    {
        var inbox = await _api.CreateInboxAsync("inbound-spam");
        await using var received = await WebhookReceiver.StartAsync();
        await using var spam = await WebhookReceiver.StartAsync();
        await _api.CreateInboxWebhookAsync(inbox, received.Url("/received"), ["message.received", "message.received.unauthenticated"]);
        var spamHook = await _api.CreateInboxWebhookAsync(inbox, spam.Url("/spam"), ["message.received.spam"]);

        var delivered = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "Re: your order", text = "Where is it?", spam = true });

        var raised = (await spam.WaitForAsync(1, MessageApi.Patience)).Single();
        var body = JsonNode.Parse(raised.Body)!;
        Assert.Equal("message.received.spam", (string)body["event_type"]!);
        Assert.Equal((string)delivered["message_id"]!, (string)body["message"]!["message_id"]!);
        Assert.Equal(inbox, (string)body["thread"]!["inbox_id"]!);
        Assert.True(SvixCheck.IsValid((string)spamHook["secret"]!, raised.SvixId, raised.Headers["svix-timestamp"], raised.Body, raised.Headers["svix-signature"]));
        Assert.Equal(["received", "unread", "spam"], delivered["labels"]!.AsArray().Select(l => (string)l!));
        await Task.Delay(MessageApi.Quiet);
        Assert.Empty(received.Received);
        var path = $"/agentmail/v0/inboxes/{Uri.EscapeDataString(inbox)}/messages";
        Assert.Empty((await _api.GetOkAsync(path))["messages"]!.AsArray());
        Assert.Empty((await _api.GetOkAsync($"{path}?include_unauthenticated=true"))["messages"]!.AsArray());
        Assert.Single((await _api.GetOkAsync($"{path}?include_spam=true"))["messages"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.Client.GetAsync($"{path}?include_spam=maybe")).StatusCode);
        var both = await _api.PostDeliveryAsync(inbox, new { from = "jane@acme.example", spam = true, authenticated = false });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(["spam"], (await both.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![0]!["path"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task When_mail_arrives_Should_sign_message_received_to_inbox_scoped_and_org_wide_webhooks_but_not_other_inboxes()
    {
        var inbox = await _api.CreateInboxAsync("inbound-events");
        var other = await _api.CreateInboxAsync("inbound-other");
        await using var scoped = await WebhookReceiver.StartAsync();
        await using var orgWide = await WebhookReceiver.StartAsync();
        await using var elsewhere = await WebhookReceiver.StartAsync();
        var scopedHook = await _api.CreateInboxWebhookAsync(inbox, scoped.Url("/scoped"), ["message.received"]);
        var orgHook = await _api.CreateWebhookAsync(orgWide.Url("/org"), ["message.received"]);
        var otherHook = await _api.CreateWebhookAsync(elsewhere.Url("/other"), ["message.received"], [other]);

        var delivered = await _api.DeliverAsync(inbox, new { from = "Jane Buyer <jane@acme.example>", subject = "PO 4821", text = "Please ship." });

        var ofThisInbox = (Func<ReceivedWebhook, bool>)(r => (string?)JsonNode.Parse(r.Body)!["message"]?["inbox_id"] == inbox);
        var toScoped = (await scoped.WaitForAsync(1, MessageApi.Patience, ofThisInbox)).Single();
        var toOrg = (await orgWide.WaitForAsync(1, MessageApi.Patience, ofThisInbox)).Single();
        await Task.Delay(MessageApi.Quiet);
        Assert.Empty(elsewhere.Received);
        Assert.Empty(await factory.AttemptsAsync($"?endpoint_id={(string)otherHook["webhook_id"]!}"));

        foreach (var (received, hook) in new[] { (toScoped, scopedHook), (toOrg, orgHook) })
        {
            var secret = (string)(await _api.GetOkAsync($"/agentmail/v0/webhooks/{(string)hook["webhook_id"]!}"))["secret"]!;
            Assert.True(SvixCheck.IsValid(secret, received.SvixId, received.Headers["svix-timestamp"], received.Body, received.Headers["svix-signature"]));
            Assert.True(SvixCheck.IsFresh(received.Headers["svix-timestamp"]));
        }

        var payload = JsonNode.Parse(toScoped.Body)!.AsObject();
        Assert.Equal("event", (string)payload["type"]!);
        Assert.Equal("message.received", (string)payload["event_type"]!);
        Assert.StartsWith("evt_", (string)payload["event_id"]!, StringComparison.Ordinal);
        var message = payload["message"]!;
        Assert.Equal((string)delivered["message_id"]!, (string)message["message_id"]!);
        Assert.Equal(["received", "unread"], message["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Equal("Please ship.", (string)message["text"]!);
        var thread = payload["thread"]!;
        Assert.Equal(inbox, (string)thread["inbox_id"]!);
        Assert.Equal((string)delivered["thread_id"]!, (string)thread["thread_id"]!);
        Assert.Equal((string)delivered["message_id"]!, (string)thread["last_message_id"]!);
        Assert.Equal(1, (int)thread["message_count"]!);
        Assert.Equal(["Jane Buyer <jane@acme.example>"], thread["senders"]!.AsArray().Select(s => (string)s!));
        Assert.Equal([inbox], thread["recipients"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("PO 4821", (string)thread["subject"]!);
        Assert.Equal(["received", "unread"], thread["labels"]!.AsArray().Select(l => (string)l!));
        foreach (var field in new[] { "timestamp", "received_timestamp", "size", "updated_at", "created_at" })
        {
            Assert.NotNull(thread[field]);
        }
    }

    [Fact]
    public async Task When_replies_name_an_earlier_message_Should_join_its_thread_by_in_reply_to_or_references()
    {
        var inbox = await _api.CreateInboxAsync("inbound-thread");
        await using var receiver = await WebhookReceiver.StartAsync();
        await _api.ListenAsync(receiver, inbox, "message.received");

        var first = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "PO 1", text = "first" });
        var answer = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "Re: PO 1", text = "second", in_reply_to = (string)first["message_id"]! });
        var referencing = await _api.DeliverAsync(inbox, new { from = "bob@acme.example", subject = "Re: PO 1", references = new[] { "<unknown@elsewhere.example>", (string)answer["message_id"]! } });
        var byHeader = await _api.DeliverAsync(inbox, new { from = "bob@acme.example", headers = new Dictionary<string, string> { ["In-Reply-To"] = (string)first["message_id"]! } });
        var unrelated = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "PO 2", in_reply_to = "<unknown@elsewhere.example>" });

        var thread = (string)first["thread_id"]!;
        Assert.Equal(thread, (string)answer["thread_id"]!);
        Assert.Equal(thread, (string)referencing["thread_id"]!);
        Assert.Equal(thread, (string)byHeader["thread_id"]!);
        Assert.NotEqual(thread, (string)unrelated["thread_id"]!);
        Assert.Equal((string)first["message_id"]!, (string)answer["in_reply_to"]!);

        var events = await receiver.WaitForAsync(5, MessageApi.Patience);
        var third = events.Select(e => JsonNode.Parse(e.Body)!).Single(e => (string)e["message"]!["message_id"]! == (string)referencing["message_id"]!);
        Assert.Equal(3, (int)third["thread"]!["message_count"]!);
        Assert.Equal("PO 1", (string)third["thread"]!["subject"]!);
        Assert.Equal(["jane@acme.example", "bob@acme.example"], third["thread"]!["senders"]!.AsArray().Select(s => (string)s!));
    }

    public void Dispose() => _api.Dispose();
}

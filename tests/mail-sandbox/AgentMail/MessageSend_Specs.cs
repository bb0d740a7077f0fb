using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>Sending a new message from an inbox (docs/agentmail.md §5, §6).</summary>
public sealed class MessageSend_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IDisposable
{
    private readonly MessageApi _api = new(factory);

    [Fact]
    public async Task When_sending_Should_store_a_sent_message_in_a_new_thread_from_the_inbox_address()
    {
        var inbox = await _api.CreateInboxAsync("send", "Acme, Orders");
        var earlier = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "PO" });

        var sent = await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new
        {
            to = "jane@acme.example",
            cc = new List<string> { "ops@acme.example" },
            subject = "Order 4821 confirmed",
            text = "Your order is confirmed.",
            labels = new List<string> { "confirmation" },
            headers = new Dictionary<string, string> { ["X-Order"] = "4821" },
        });

        Assert.NotEqual((string)earlier["thread_id"]!, (string)sent["thread_id"]!);
        Assert.True(Guid.TryParse((string)sent["thread_id"]!, out _));
        Assert.Matches("^<[^<>@]+@agentmail\\.to>$", (string)sent["message_id"]!);
        var stored = await _api.GetOkAsync(MessageApi.Message(inbox, (string)sent["message_id"]!));
        Assert.Equal($"\"Acme, Orders\" <{inbox}>", (string)stored["from"]!);
        Assert.Equal(["jane@acme.example"], stored["to"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["sent", "confirmation"], stored["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Equal("Order 4821 confirmed", (string)stored["subject"]!);
        Assert.Equal("4821", (string)stored["headers"]!["X-Order"]!);
        Assert.Null(stored["in_reply_to"]);
        var sentOnly = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=sent");
        Assert.Equal([(string)sent["message_id"]!], sentOnly["messages"]!.AsArray().Select(m => (string)m!["message_id"]!));
    }

    [Fact]
    public async Task When_sending_to_a_bouncing_and_a_good_address_Should_raise_delivered_and_bounced_for_each()
    {
        var inbox = await _api.CreateInboxAsync("send-mixed");
        var bouncing = $"gone-{Guid.NewGuid():N}@acme.example";
        await _api.MarkBouncingAsync(bouncing);
        await using var receiver = await WebhookReceiver.StartAsync();
        await _api.ListenAsync(receiver, inbox, "message.sent", "message.delivered", "message.bounced");

        await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new { to = new[] { "jane@acme.example", bouncing }, subject = "Hi" });

        await receiver.WaitForAsync(3, MessageApi.Patience);
        Assert.Equal(["jane@acme.example", bouncing], MessageApi.Events(receiver, "message.sent").Single()["send"]!["recipients"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["jane@acme.example"], MessageApi.Events(receiver, "message.delivered").Single()["delivery"]!["recipients"]!.AsArray().Select(r => (string)r!));
        Assert.Equal([bouncing], MessageApi.Events(receiver, "message.bounced").Single()["bounce"]!["recipients"]!.AsArray().Select(r => (string)r!["address"]!));
    }

    [Fact]
    public async Task When_a_recipient_complains_Should_raise_complained_for_them_after_their_delivery()
    {
        var inbox = await _api.CreateInboxAsync("send-complained");
        var complaining = $"spam-button-{Guid.NewGuid():N}@acme.example";
        await _api.MarkAsync("complaining", complaining);
        await using var receiver = await WebhookReceiver.StartAsync();
        await _api.ListenAsync(receiver, inbox, "message.sent", "message.delivered", "message.complained");

        var sent = await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new { to = new[] { "jane@acme.example", complaining }, subject = "Hi" });

        await receiver.WaitForAsync(3, MessageApi.Patience);
        Assert.Equal(["jane@acme.example", complaining], MessageApi.Events(receiver, "message.delivered").Single()["delivery"]!["recipients"]!.AsArray().Select(r => (string)r!));
        var complaint = MessageApi.Events(receiver, "message.complained").Single()["complaint"]!;
        Assert.Equal([complaining], complaint["recipients"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("abuse", (string)complaint["type"]!);
        Assert.Equal((string)sent["message_id"]!, (string)complaint["message_id"]!);
    }

    [Fact]
    public async Task When_a_recipient_is_rejected_Should_raise_only_rejected_with_the_reason()
    {
        var inbox = await _api.CreateInboxAsync("send-rejected");
        var rejecting = $"blocked-{Guid.NewGuid():N}@acme.example";
        await _api.MarkAsync("rejecting", rejecting);
        await using var receiver = await WebhookReceiver.StartAsync();
        await _api.ListenAsync(receiver, inbox, "message.sent", "message.delivered", "message.rejected");

        var sent = await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new { to = new[] { "jane@acme.example", rejecting }, subject = "Hi" });

        await receiver.WaitForAsync(1, MessageApi.Patience);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var reject = MessageApi.Events(receiver, "message.rejected").Single()["reject"]!;
        Assert.Equal((string)sent["message_id"]!, (string)reject["message_id"]!);
        Assert.Contains(rejecting, (string)reject["reason"]!, StringComparison.Ordinal);
        Assert.Empty(MessageApi.Events(receiver, "message.sent"));
        Assert.Empty(MessageApi.Events(receiver, "message.delivered"));
    }

    /// <summary>
    /// After a bounce, a complaint or a rejection AgentMail refuses every later send to the address (docs/agentmail.md §4);
    /// the sandbox sent each again and raised the same fate, so the agent's replies to such an address seemed to go out.
    /// </summary>
    [Theory]
    [InlineData("bouncing")]
    [InlineData("complaining")]
    [InlineData("rejecting")]
    public async Task When_sending_again_to_an_address_that_bounced_complained_or_was_rejected_Should_answer_403_message_rejected(string fate)
    {
        var inbox = await _api.CreateInboxAsync($"send-again-{fate}");
        var marked = $"{fate}-{Guid.NewGuid():N}@acme.example";
        await _api.MarkAsync(fate, marked);
        await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new { to = marked, subject = "First" });

        var again = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages(inbox)}/send", new { to = new[] { "jane@acme.example", marked.ToUpperInvariant() }, subject = "Again" });

        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        var body = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("message_rejected", (string)body["code"]!);
        Assert.Contains(marked, (string)body["message"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["First"], (await _api.GetOkAsync(MessageApi.Messages(inbox)))["messages"]!.AsArray().Select(m => (string)m!["subject"]!));
        await _api.PostOkAsync($"{MessageApi.Messages(inbox)}/send", new { to = "jane@acme.example", subject = "Elsewhere" });
    }

    [Fact]
    public async Task When_sending_without_any_recipient_Should_answer_422_UnprocessableError()
    {
        var inbox = await _api.CreateInboxAsync("send-none");

        var none = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages(inbox)}/send", new { subject = "to nobody", text = "x" });
        var empty = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages(inbox)}/send", new { to = Array.Empty<string>(), subject = "to nobody" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        var body = (await none.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("UnprocessableError", (string)body["name"]!);
        Assert.Equal("unprocessable", (string)body["code"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Empty((await _api.GetOkAsync(MessageApi.Messages(inbox)))["messages"]!.AsArray());
    }

    [Fact]
    public async Task When_a_recipient_is_not_an_address_or_the_inbox_is_unknown_Should_answer_400_or_404()
    {
        var inbox = await _api.CreateInboxAsync("send-bad");

        var invalid = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages(inbox)}/send", new { to = new List<string> { "jane@acme.example", "nope" } });
        var unknown = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages($"nobody-{Guid.NewGuid():N}@agentmail.to")}/send", new { to = "jane@acme.example" });
        var notJson = await _api.PostAsync($"{MessageApi.Messages(inbox)}/send", "{to:");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var issue = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![0]!;
        Assert.Equal("to", (string)issue["path"]![0]!);
        Assert.Equal(1, (int)issue["path"]![1]!);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Inbox not found", (string)(await unknown.Content.ReadFromJsonAsync<JsonObject>())!["message"]!);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task When_a_503_fault_is_set_once_Should_answer_it_with_Retry_After_then_send_on_the_retry()
    {
        var inbox = await _api.CreateInboxAsync("send-fault");
        await factory.AddFaultAsync(new { Api = "agentmail", Operation = "messages.send", ErrorStatus = 503, RetryAfterSeconds = 2, Times = 1 });

        var failed = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages(inbox)}/send", new { to = "jane@acme.example", subject = "Hi" });
        var retried = await _api.Client.PostAsJsonAsync($"{MessageApi.Messages(inbox)}/send", new { to = "jane@acme.example", subject = "Hi" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
        Assert.Equal("service_unavailable", (string)(await failed.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Single((await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=sent"))["messages"]!.AsArray());
    }

    public void Dispose() => _api.Dispose();
}

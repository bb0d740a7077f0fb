using System.Net.Http.Json;
using System.Text.Json;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// The message calls against the sandbox's AgentMail: a received message read back with its bodies, and an inline
/// reply that its <c>Idempotency-Key</c> makes safe to repeat.
/// </summary>
public sealed class MessageCalls_Specs : IAsyncLifetime
{
    private AgentMailHarness _agentMail = null!;
    private AgentMailInbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _agentMail = await AgentMailHarness.StartAsync();
        _inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
    }

    public async Task DisposeAsync() => await _agentMail.DisposeAsync();

    [Fact]
    public async Task Should_read_a_received_message_by_its_Message_ID_percent_encoded_in_the_path()
    {
        var messageId = await CustomerWritesAsync("Where is my order?");

        var message = await _agentMail.Client.GetMessageAsync(_inbox.InboxId, messageId, default);

        Assert.NotNull(message);
        Assert.Equal(messageId, message.MessageId);
        Assert.Equal(_inbox.InboxId, message.InboxId);
        Assert.Equal("Jane <jane@customer.example>", message.From);
        Assert.Equal([$"Acme Orders <{_inbox.InboxId}>"], message.To);
        Assert.Equal("Order 42", message.Subject);
        Assert.Equal("Where is my order?", message.Text);
        Assert.Contains("received", message.Labels);
        Assert.Empty(message.References);
        var sent = _agentMail.Requests.All[^1].Uri.AbsoluteUri;
        Assert.EndsWith($"/messages/{Uri.EscapeDataString(messageId)}", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_null_for_a_message_or_an_inbox_that_does_not_exist()
    {
        Assert.Null(await _agentMail.Client.GetMessageAsync(_inbox.InboxId, "<nothing@customer.example>", default));
        Assert.Null(await _agentMail.Client.GetMessageAsync("nobody@agentmail.to", "<nothing@customer.example>", default));
        Assert.Equal(2, _agentMail.Requests.All.Count(r => r.Method == HttpMethod.Get));
    }

    [Fact]
    public async Task Should_reply_in_the_customers_thread_and_send_it_once_however_often_the_same_key_repeats_it()
    {
        var messageId = await CustomerWritesAsync("Where is my order?");
        var reply = new ReplyToMessage("It left the warehouse today.", null);
        var key = $"reply-{Guid.NewGuid():N}";

        var first = await _agentMail.Client.ReplyToMessageAsync(_inbox.InboxId, messageId, reply, key, default);
        var repeated = await _agentMail.Client.ReplyToMessageAsync(_inbox.InboxId, messageId, reply, key, default);
        var original = await _agentMail.Client.GetMessageAsync(_inbox.InboxId, messageId, default);
        var sent = await _agentMail.Client.GetMessageAsync(_inbox.InboxId, first.MessageId, default);

        Assert.Equal(first, repeated);
        Assert.Equal(original!.ThreadId, first.ThreadId);
        Assert.NotNull(sent);
        Assert.Equal(messageId, sent.InReplyTo);
        Assert.Contains(sent.To, to => to.Contains("jane@customer.example", StringComparison.Ordinal));
        Assert.Equal("It left the warehouse today.", sent.Text);
        Assert.Contains("sent", sent.Labels);
        Assert.Equal(2, await MessagesInInboxAsync());
    }

    /// <summary>A reply's headers are in the request's <c>headers</c>, which AgentMail puts on the email it sends.</summary>
    [Fact]
    public async Task Should_send_a_reply_with_the_headers_it_is_given()
    {
        var messageId = await CustomerWritesAsync("Where is my order?");
        var reply = new ReplyToMessage("It left the warehouse today.", null, Headers: new Dictionary<string, string> { ["Auto-Submitted"] = "auto-replied" });

        var sent = await _agentMail.Client.ReplyToMessageAsync(_inbox.InboxId, messageId, reply, $"reply-{Guid.NewGuid():N}", default);

        var stored = await _agentMail.ReadDirectlyAsync($"v0/inboxes/{Uri.EscapeDataString(_inbox.InboxId)}/messages/{Uri.EscapeDataString(sent.MessageId)}");
        Assert.Equal("auto-replied", stored.GetProperty("headers").GetProperty("Auto-Submitted").GetString());
    }

    [Fact]
    public async Task Should_refuse_a_key_used_again_for_another_reply_with_a_409_and_not_retry_it()
    {
        var messageId = await CustomerWritesAsync("Where is my order?");
        var key = $"reply-{Guid.NewGuid():N}";
        await _agentMail.Client.ReplyToMessageAsync(_inbox.InboxId, messageId, new ReplyToMessage("First answer.", null), key, default);

        var conflict = await Assert.ThrowsAsync<AgentMailException>(() =>
            _agentMail.Client.ReplyToMessageAsync(_inbox.InboxId, messageId, new ReplyToMessage("Another answer.", null), key, default));

        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal(2, _agentMail.Requests.To(HttpMethod.Post, "/reply"));
        Assert.Equal(2, await MessagesInInboxAsync());
    }

    [Fact]
    public async Task Should_retry_a_reply_that_failed_transiently_under_the_same_key_and_send_it_once()
    {
        var messageId = await CustomerWritesAsync("Where is my order?");
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.ReplyToMessage, error_status = 503, retry_after_seconds = 0, times = 1 });

        var sent = await _agentMail.Client.ReplyToMessageAsync(_inbox.InboxId, messageId, new ReplyToMessage(null, "<p>On its way.</p>"), $"reply-{Guid.NewGuid():N}", default);

        Assert.StartsWith("<", sent.MessageId, StringComparison.Ordinal);
        Assert.Equal(2, _agentMail.Requests.To(HttpMethod.Post, "/reply"));
        Assert.Equal(2, await MessagesInInboxAsync());
    }

    /// <summary>
    /// A success that is not AgentMail's answer as documented: one without the reply's message_id, or one labelled with a
    /// charset .NET cannot decode. Either is a JsonException saying so, what every caller handles as such.
    /// </summary>
    [Theory]
    [InlineData("omit_member", "message_id", "message_id")]
    [InlineData("answer_charset", "x-unknown", "cannot be read")]
    public async Task Should_throw_a_JsonException_for_a_reply_answered_not_as_documented(string fault, string value, string words)
    {
        var messageId = await CustomerWritesAsync("Where is my order?");
        await _agentMail.AddFaultAsync(new Dictionary<string, object>
        {
            ["api"] = "agentmail",
            ["operation"] = AgentMailOperations.ReplyToMessage,
            [fault] = value,
            ["times"] = 1,
        });

        var unreadable = await Assert.ThrowsAsync<JsonException>(() => _agentMail.Client.ReplyToMessageAsync(
            _inbox.InboxId, messageId, new ReplyToMessage("On its way.", null), $"reply-{Guid.NewGuid():N}", default));

        Assert.Contains(words, unreadable.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A refusal labelled with a charset .NET cannot decode: its status still decides, an AgentMailException as for any
    /// refusal (the callers' 502, a provisioner step failed with it), without the words its body would have given.
    /// </summary>
    [Fact]
    public async Task Should_throw_an_AgentMailException_with_the_status_for_a_refusal_in_a_charset_that_cannot_be_decoded()
    {
        var messageId = await CustomerWritesAsync("Where is my order?");
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.ReplyToMessage, error_status = 403, answer_charset = "x-unknown", times = 1 });

        var refused = await Assert.ThrowsAsync<AgentMailException>(() => _agentMail.Client.ReplyToMessageAsync(
            _inbox.InboxId, messageId, new ReplyToMessage("On its way.", null), $"reply-{Guid.NewGuid():N}", default));

        Assert.Equal((403, null), (refused.StatusCode, refused.Code));
        Assert.Equal(1, _agentMail.Requests.To(HttpMethod.Post, "/reply"));
    }

    [Fact]
    public async Task Should_refuse_a_reply_to_a_message_that_does_not_exist_with_a_404()
    {
        var missing = await Assert.ThrowsAsync<AgentMailException>(() => _agentMail.Client.ReplyToMessageAsync(
            _inbox.InboxId, "<nothing@customer.example>", new ReplyToMessage("Hello?", null), $"reply-{Guid.NewGuid():N}", default));

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("not_found", missing.Code);
    }

    // The sandbox's control API plays the customer: the email arrives in the inbox as AgentMail would receive it.
    private async Task<string> CustomerWritesAsync(string text)
    {
        var response = await _agentMail.Sandbox.Http.PostAsJsonAsync(
            $"sandbox/agentmail/inboxes/{Uri.EscapeDataString(_inbox.InboxId)}/messages",
            new { from = "Jane <jane@customer.example>", subject = "Order 42", text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!;
    }

    private async Task<int> MessagesInInboxAsync() =>
        (await _agentMail.ReadDirectlyAsync($"v0/inboxes/{Uri.EscapeDataString(_inbox.InboxId)}/messages")).GetProperty("count").GetInt32();
}

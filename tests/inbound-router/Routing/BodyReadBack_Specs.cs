using System.Net;
using System.Text;
using System.Text.Json;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// A <c>message.received</c> whose body AgentMail left out (it does above 1 MB, docs/agentmail.md §4): the router reads
/// the message from AgentMail (<c>GET /v0/inboxes/{inbox}/messages/{id}</c>) before routing, and the routed event carries
/// its text, cut to <see cref="InboundText.MaxLength"/> and marked when longer, or a note when AgentMail's answer was past
/// the client's bound.
/// </summary>
public sealed class BodyReadBack_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_read_a_message_delivered_without_its_body_from_agentmail_and_route_it_with_the_full_text()
    {
        var (orderId, inboxId, secret) = await InboxFedBySpecAsync("ORD-NOBODY");
        var fullText = "Where is my order? " + string.Concat(Enumerable.Repeat("Every line of a long letter. ", 2000));
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "A long letter", text = fullText });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId, "A long letter", text: null, messageId: messageId, from: "jane@acme.example"), secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(fullText, routed.GetProperty("text").GetString());
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Empty(await _world.AttemptsAsync("message.received"));
    }

    /// <summary>An HTML-only message read back has no text: its text is taken from the HTML, as from a webhook's body, not left empty.</summary>
    [Fact]
    public async Task Should_route_an_html_only_message_read_back_with_the_text_of_its_html()
    {
        var (_, inboxId, secret) = await InboxFedBySpecAsync("ORD-HTMLONLY");
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Question", html = "<p>Please <b>cancel</b> my order</p>" });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId, "Question", text: null, messageId: messageId, from: "jane@acme.example"), secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Contains("cancel", routed.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", routed.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A reply read back keeps AgentMail's new words (<c>extracted_text</c>) for the agent, as a webhook's body does.</summary>
    [Fact]
    public async Task Should_route_a_reply_read_back_with_its_new_words()
    {
        var (_, inboxId, secret) = await InboxFedBySpecAsync("ORD-READNEW");
        const string newWords = "Please send it to my new address, 5 Main St";
        var text = newWords + "\n\nOn Sat, 5 Dec 2026 at 10:02, OrdersMail <ord@agentmail.to> wrote:\n> You asked us to cancel this order.\n";
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Re: Please cancel my order", text });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId, "Re: Please cancel my order", text: null, messageId: messageId, from: "jane@acme.example"), secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(text, routed.GetProperty("text").GetString());
        Assert.True(routed.TryGetProperty("newText", out var routedNewWords), "the routed message should carry newText");
        Assert.Equal(newWords, routedNewWords.GetString());
    }

    /// <summary>
    /// Mail of 8 MB (anyone can send it to a reply address) is not read whole nor carried whole: AgentMail's answer is past
    /// the client's bound, so the message is routed with a note saying so, within the bound, for a person to read it in AgentMail.
    /// </summary>
    [Fact]
    public async Task Should_route_a_message_too_large_to_read_with_a_note_saying_so_within_the_bound()
    {
        var (orderId, inboxId, secret) = await InboxFedBySpecAsync("ORD-HUGE");
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Huge", text = new string('x', 8 * 1024 * 1024) });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId, "Huge", text: null, messageId: messageId, from: "jane@acme.example"), secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        var text = routed.GetProperty("text").GetString()!;
        Assert.True(text.Length <= InboundText.MaxLength, $"the routed text is {text.Length} characters");
        Assert.StartsWith("[This email was too large to read", text, StringComparison.Ordinal);
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
    }

    /// <summary>
    /// A message read back whole whose text is past the bound goes on the bus cut to it and marked, never between the
    /// halves of a character outside the BMP.
    /// </summary>
    [Fact]
    public async Task Should_route_a_long_message_read_back_with_its_text_cut_to_the_bound_and_marked()
    {
        var (_, inboxId, secret) = await InboxFedBySpecAsync("ORD-LONG");
        var start = new string('a', InboundText.MaxLength - InboundText.CutMarker.Length - 1);
        var fullText = start + "😀" + string.Concat(Enumerable.Repeat("More of a long letter. ", 20_000));
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Long", text = fullText });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId, "Long", text: null, messageId: messageId, from: "jane@acme.example"), secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(start + InboundText.CutMarker, routed.GetProperty("text").GetString());
    }

    // An order's inbox whose only webhook takes delivery events, so the sandbox posts nothing for an email: the spec posts
    // the bodiless message.received AgentMail would, signed with that webhook's secret.
    private async Task<(Guid OrderId, string InboxId, string Secret)> InboxFedBySpecAsync(string orderRef)
    {
        var orderId = Guid.NewGuid();
        var (inboxId, _, _) = await _world.ProvisionAsync(orderRef);
        var (webhookId, secret) = await _world.AddWebhookAsync(inboxId, "message.sent");
        await DeleteProvisionedWebhooksExceptAsync(inboxId, webhookId);
        await _world.ReadyAsync(orderId, orderRef, $"user_{orderRef}", inboxId, webhookId);
        return (orderId, inboxId, secret);
    }

    private async Task DeleteProvisionedWebhooksExceptAsync(string inboxId, string keep)
    {
        using var agentMail = new HttpClient { BaseAddress = new Uri(_world.Sandbox.AgentMailBaseUrl.TrimEnd('/') + "/") };
        agentMail.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "am_test_body");
        var listed = JsonDocument.Parse(await agentMail.GetStringAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks")).RootElement;
        foreach (var webhook in listed.GetProperty("webhooks").EnumerateArray().Select(w => w.GetProperty("webhook_id").GetString()!).Where(id => id != keep))
        {
            await _world.DeleteWebhookAsync(webhook);
        }
    }
}

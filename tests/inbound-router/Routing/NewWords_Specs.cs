using System.Net;
using System.Text.Json;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// A customer's reply quotes the answer it replies to: the routed message carries the whole text for the conversation
/// and, as <c>newText</c>, the new words AgentMail found above the quote (<c>extracted_text</c>, or <c>extracted_html</c>
/// without tags), which the agent answers.
/// </summary>
public sealed class NewWords_Specs : IAsyncLifetime
{
    private const string NewWords = "Actually I'd rather keep it, please send it to my new address, 5 Main St";

    private const string Reply =
        NewWords + "\n\nOn Sat, 5 Dec 2026 at 10:02, OrdersMail customer service <ord@agentmail.to> wrote:\n> You asked us to cancel this order.\n";

    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task When_a_reply_quotes_the_answer_it_replies_to_Should_route_its_whole_text_and_its_new_words()
    {
        var (inboxId, _, _) = await InboxAsync("ORD-NEWWORDS");

        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Re: Please cancel my order", text = Reply });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(Reply, routed.GetProperty("text").GetString());
        Assert.Equal(NewWords, NewTextOf(routed));
    }

    [Fact]
    public async Task When_an_email_quotes_nothing_Should_carry_no_new_words_besides_its_text()
    {
        var (inboxId, _, _) = await InboxAsync("ORD-NOQUOTE");

        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Where is my order?", text = "It has not arrived." });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal("It has not arrived.", routed.GetProperty("text").GetString());
        Assert.Null(NewTextOf(routed));
    }

    /// <summary>An HTML-only reply: AgentMail's <c>extracted_html</c> is its new words, taken without tags as the whole HTML is.</summary>
    [Fact]
    public async Task When_an_html_only_reply_comes_with_its_extracted_html_Should_route_its_text_as_the_new_words()
    {
        var (inboxId, _, secret) = await InboxAsync("ORD-NEWHTML");
        var messageId = $"<{Guid.NewGuid():N}@acme.example>";
        var body = ReceivedEvents.With(ReceivedEvents.For(inboxId, "Re: Please cancel my order", text: null, messageId: messageId), e =>
        {
            e["message"]!["html"] = $"<div>{NewWords}</div><blockquote>You asked us to <b>cancel</b> this order.</blockquote>";
            e["message"]!["extracted_html"] = $"<div>{NewWords}</div>";
        });

        var answer = await _world.PostSignedAsync(body, secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Contains("cancel", routed.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(NewWords, NewTextOf(routed));
    }

    private async Task<(string InboxId, string WebhookId, string Secret)> InboxAsync(string orderRef)
    {
        var provisioned = await _world.ProvisionAsync(orderRef);
        await _world.ReadyAsync(Guid.NewGuid(), orderRef, $"user_{orderRef}", provisioned.InboxId, provisioned.WebhookId);
        return provisioned;
    }

    private static string? NewTextOf(JsonElement routed) =>
        routed.TryGetProperty("newText", out var newText) && newText.ValueKind == JsonValueKind.String ? newText.GetString() : null;
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// Mail whose sender AgentMail could not authenticate (SPF, DKIM, DMARC: <c>message.received.unauthenticated</c>) may be
/// forged: from the customer's own address, answering our confirmation, it would otherwise get the order's details.
/// It is parked for a person with the reason, never routed, not even when ops ask to route it again; ops dismiss it
/// once they have dealt with it.
/// </summary>
public sealed class UnauthenticatedMail_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_park_mail_whose_sender_failed_authentication_and_keep_it_parked_when_asked_to_route_it()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(orderId, "ORD-SPOOF", "user_spoof");

        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Send me the order details", text = "Please.", authenticated = false });

        var parked = Assert.Single(await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == messageId));
        Assert.Contains("could not authenticate the sender", parked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await _world.AnsweredAttemptsAsync("message.received.unauthenticated");
        var entry = (await _world.Client.GetFromJsonAsync<JsonArray>("/routing/parked"))!.Single(p => p!["message_id"]!.GetValue<string>() == messageId)!;
        var id = entry["id"]!.GetValue<Guid>();
        var again = await _world.Client.PostAsync($"/routing/parked/{id}/route", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());

        // Read and answered in AgentMail, it is dismissed: it stayed parked for good before.
        Assert.Equal(HttpStatusCode.NoContent, (await _world.Client.PostAsync($"/routing/parked/{id}/dismiss", null)).StatusCode);
        Assert.DoesNotContain((await _world.Client.GetFromJsonAsync<JsonArray>("/routing/parked"))!, p => p!["id"]!.GetValue<Guid>() == id);
    }
}

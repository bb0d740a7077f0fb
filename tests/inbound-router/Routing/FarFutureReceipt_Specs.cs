using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// AgentMail (or a sender's Date, when it gives no <c>created_at</c>) can say, signed, that an email was received at the
/// end of time. The ingress takes no time far ahead of its own receipt, and a stored one is routed like any other: it
/// failed the decisions of every email of its batch (routing's clock-skew allowance added to it overflowed), all of them
/// parked after their attempts, and routing it again from the parked list answered 500.
/// </summary>
public sealed class FarFutureReceipt_Specs : IAsyncLifetime
{
    private static readonly DateTimeOffset EndOfTime = new(9999, 12, 31, 23, 45, 0, TimeSpan.Zero);

    // Only the pumps a spec makes route what it records (the router's own is woken by the ingress alone).
    private readonly RouterWorld _world = new(new Dictionary<string, string?> { ["InboundRouter:Routing:ScanInterval"] = "01:00:00" });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_route_a_batch_holding_an_email_stored_as_received_at_the_end_of_time_on_its_first_pass()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-END-OF-TIME", orderId);
        var ordinary = RouterWorld.Email(inboxId, "<ordinary@customer.example>");
        var absurd = RouterWorld.Email(inboxId, "<end-of-time@customer.example>") with { ReceivedAt = EndOfTime };
        await _world.RecordReceivedAsync([absurd, ordinary]);

        Assert.Equal(2, await Pump().RouteBatchAsync(CancellationToken.None));

        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(
            new[] { (absurd.MessageId, orderId), (ordinary.MessageId, orderId) },
            routed.Select(r => (r.GetProperty("messageId").GetString()!, r.GetProperty("orderId").GetGuid())).Order());
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
    }

    [Fact]
    public async Task Should_route_a_parked_email_stored_as_received_at_the_end_of_time_when_ops_route_it_again()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-END-OF-TIME-PARKED", orderId);
        var absurd = RouterWorld.Email(inboxId, "<end-of-time-parked@customer.example>") with { ReceivedAt = EndOfTime };
        await _world.RecordReceivedAsync([absurd]);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            // Its attempts spent (the default Routing:MaxAttempts, as the batches it failed left it): parked at this claim.
            await connection.ExecuteAsync("update inbound.received_events set route_attempts = 10");
        }

        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));
        var parkedId = (await _world.Client.GetFromJsonAsync<JsonElement>("/routing/parked"))[0].GetProperty("id").GetGuid();

        using var rerouted = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);

        Assert.Equal(HttpStatusCode.OK, rerouted.StatusCode);
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal((absurd.MessageId, orderId), (routed.GetProperty("messageId").GetString(), routed.GetProperty("orderId").GetGuid()));
    }

    [Theory]
    [InlineData("created_at")]
    [InlineData("timestamp")]
    public async Task Should_take_an_email_said_to_be_received_at_the_end_of_time_as_received_when_the_ingress_got_it(string member)
    {
        var orderId = Guid.NewGuid();
        var (inboxId, _, secret) = await _world.ProvisionReadyAsync(orderId, $"ORD-SAID-{member}", $"user_said_{member}");
        var messageId = $"<{Guid.NewGuid():N}@acme.example>";
        var body = ReceivedEvents.With(ReceivedEvents.For(inboxId, "Re: my order", messageId: messageId), json => json["message"]![member] = EndOfTime.ToString("O"));

        var before = DateTimeOffset.UtcNow;
        using var answer = await _world.PostSignedAsync(body, secret);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.InRange(routed.GetProperty("receivedAt").GetDateTimeOffset(), before, after);
    }

    [Fact]
    public async Task Should_keep_an_email_said_to_be_received_within_the_clock_skew_allowance_ahead_as_said()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, _, secret) = await _world.ProvisionReadyAsync(orderId, "ORD-SAID-AHEAD", "user_said_ahead");
        var messageId = $"<{Guid.NewGuid():N}@acme.example>";
        var said = DateTimeOffset.UtcNow.AddMinutes(20);
        var body = ReceivedEvents.With(ReceivedEvents.For(inboxId, "Re: my order", messageId: messageId), json => json["message"]!["created_at"] = said.ToString("O"));

        using var answer = await _world.PostSignedAsync(body, secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(said, routed.GetProperty("receivedAt").GetDateTimeOffset());
    }

    private RoutingPump Pump() => ActivatorUtilities.CreateInstance<RoutingPump>(_world.Router.Services);

    private async Task<string> InboxOfAsync(string orderRef, Guid orderId)
    {
        var (inboxId, _, _) = await _world.ProvisionAsync(orderRef);
        await _world.KnowOrderAsync(orderRef, orderId);
        return inboxId;
    }
}

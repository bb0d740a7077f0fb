using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Outbound;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>
/// A verified event of a type the router takes that cannot be read as that event (a member AgentMail's schema requires
/// missing, a Message-ID too long to key its decision, text that is not Unicode) was answered 400: Svix retried it for
/// days and dropped it, and the customer's email reached no one. It is set aside for a person instead, answered 202
/// (200 when it comes again), listed with its reason, and read again on a person's retry: routed or handed to the bus
/// once it reads, 409 with the reason while it does not.
/// </summary>
public sealed class UnreadableEvents_Specs : IAsyncLifetime
{
    private const string OrderRef = "ORD-UNREADABLE";
    private readonly Guid _orderId = Guid.NewGuid();
    private readonly RouterWorld _world = new();
    private (string InboxId, string WebhookId, string Secret) _inbox;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _inbox = await _world.ProvisionAsync(OrderRef);
        await _world.KnowOrderAsync(OrderRef, _orderId);
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_set_aside_a_verified_event_it_cannot_read_list_it_with_its_reason_and_answer_its_retry_409_while_it_still_cannot()
    {
        var unreadable = new List<(string SvixId, byte[] Body, string Reason)>
        {
            ("msg_no_from", Received("msg_no_from", e => e["message"]!.AsObject().Remove("from")), "message.from is missing"),
            ("msg_no_timestamp", Received("msg_no_timestamp", e => e["message"]!.AsObject().Remove("timestamp")), "message.timestamp is missing"),
            ("msg_long_message_id", Received("msg_long_message_id", e => e["message"]!["message_id"] = $"<{new string('é', 500)}@acme.example>"), "message.message_id is longer than 998 bytes"),
            ("msg_lone_surrogate", LoneSurrogate(Received("msg_lone_surrogate", _ => { })), "cannot be read as message.received"),
            ("msg_nul_header", Received("msg_nul_header", e => e["message"]!["headers"] = new JsonObject { ["X-Nul\u0000"] = 1 }), "cannot be read as message.received"),
            ("msg_bounce_no_timestamp", Bounce(timestamp: null), "bounce.timestamp is missing"),
        };

        foreach (var (svixId, body, _) in unreadable)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await _world.PostSignedAsync(body, _inbox.Secret, svixId)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _world.PostSignedAsync(body, _inbox.Secret, svixId)).StatusCode);
        }

        var listed = (await _world.Client.GetFromJsonAsync<JsonArray>("/routing/set-aside"))!.Select(l => l!.AsObject()).ToList();
        Assert.Equal(unreadable.Select(u => u.SvixId).Order(), listed.Select(l => l["svix_id"]!.GetValue<string>()).Order());
        Assert.All(unreadable, u => Assert.Contains(u.Reason, listed.Single(l => l["svix_id"]!.GetValue<string>() == u.SvixId)["reason"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal("message.bounced", listed.Single(l => l["svix_id"]!.GetValue<string>() == "msg_bounce_no_timestamp")["event_type"]!.GetValue<string>());
        Assert.Equal(0, await _world.Router.Services.GetRequiredService<RoutingPump>().RouteBatchAsync(CancellationToken.None));

        var retried = await _world.Client.PostAsync("/routing/set-aside/msg_no_from/retry", null);

        Assert.Contains("message.from is missing", await ProblemAnswer.DetailAsync(retried, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(unreadable.Count, (await _world.Client.GetFromJsonAsync<JsonArray>("/routing/set-aside"))!.Count);
        Assert.Equal(0, await _world.CountAsync("outbox_messages"));
        Assert.Equal(0, await _world.CountAsync("routed_messages"));
        Assert.Equal(unreadable.Select(u => u.Body), await StoredBodiesAsync(unreadable.Select(u => u.SvixId)));
    }

    // An older version set these aside; this one reads them.
    [Fact]
    public async Task Should_route_a_set_aside_email_and_publish_a_set_aside_delivery_fact_once_a_retry_reads_them()
    {
        var email = ReceivedEvents.With(ReceivedEvents.For(_inbox.InboxId), e => e["event_id"] = "evt_email_read_now");
        var bounce = ReceivedEvents.With(Bounce(DateTimeOffset.UtcNow), e => e["event_id"] = "evt_bounce_read_now");
        await SetAsideAsync("msg_email_read_now", "evt_email_read_now", "message.received", email);
        await SetAsideAsync("msg_bounce_read_now", "evt_bounce_read_now", "message.bounced", bounce);

        var emailRetried = await _world.Client.PostAsync("/routing/set-aside/msg_email_read_now/retry", null);
        var bounceRetried = await _world.Client.PostAsync("/routing/set-aside/msg_bounce_read_now/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, emailRetried.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, bounceRetried.StatusCode);
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(_ => true));
        Assert.Equal(_orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("Where is my order?", routed.GetProperty("subject").GetString());
        var reported = Assert.Single(await _world.OutboxAsync<AgentMailDeliveryReported>());
        Assert.Equal("evt_bounce_read_now", reported.GetProperty("eventId").GetString());
        Assert.Equal("<sent@ordersmail.example>", reported.GetProperty("providerMessageId").GetString());
        Assert.Empty((await _world.Client.GetFromJsonAsync<JsonArray>("/routing/set-aside"))!);
        var again = await _world.Client.PostAsync("/routing/set-aside/msg_bounce_read_now/retry", null);
        Assert.Contains("No received email is set aside", await ProblemAnswer.DetailAsync(again, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Single(await _world.OutboxAsync<AgentMailDeliveryReported>());
    }

    private byte[] Received(string svixId, Action<JsonNode> change) =>
        ReceivedEvents.With(ReceivedEvents.For(_inbox.InboxId), e =>
        {
            e["event_id"] = $"evt_{svixId}";
            change(e);
        });

    // Valid JSON whose text no string can hold: an escaped lone surrogate.
    private static byte[] LoneSurrogate(byte[] body) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("Hello", "Hello \\ud800", StringComparison.Ordinal));

    private byte[] Bounce(DateTimeOffset? timestamp)
    {
        var bounce = new JsonObject
        {
            ["inbox_id"] = _inbox.InboxId,
            ["thread_id"] = Guid.NewGuid().ToString(),
            ["message_id"] = "<sent@ordersmail.example>",
            ["type"] = "Permanent",
            ["sub_type"] = "General",
        };
        if (timestamp is { } at)
        {
            bounce["timestamp"] = at;
        }

        var json = new JsonObject { ["type"] = "event", ["event_type"] = "message.bounced", ["event_id"] = $"evt_{Guid.NewGuid():N}", ["bounce"] = bounce };
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private async Task SetAsideAsync(string svixId, string eventId, string eventType, byte[] body)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, claimed_until, set_aside_reason, unreadable_event)
            values (@SvixId, @EventId, @InboxId, @EventType, 'infinity', 'an older version could not read it', @Body)
            """,
            new { SvixId = svixId, EventId = eventId, _inbox.InboxId, EventType = eventType, Body = Encoding.UTF8.GetString(body) });
    }

    private async Task<IReadOnlyList<byte[]>> StoredBodiesAsync(IEnumerable<string> svixIds)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        var stored = new List<byte[]>();
        foreach (var svixId in svixIds)
        {
            stored.Add(Encoding.UTF8.GetBytes(await connection.ExecuteScalarAsync<string>(
                "select unreadable_event from inbound.received_events where svix_id = @SvixId and email is null and claimed_until = 'infinity'", new { SvixId = svixId }) ?? ""));
        }

        return stored;
    }
}

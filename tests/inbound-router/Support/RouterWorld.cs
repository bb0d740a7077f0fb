using OrdersMail.Testing.Hosting;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using OrdersMail.Contracts.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.InboundRouter.Tests.Support;

/// <summary>
/// What a router spec runs against: the real servers (a fresh database and vhost), the sandbox as AgentMail, and the
/// router on a real port. Helpers set up inboxes and webhooks directly in the sandbox, inject customer mail, publish on the
/// router's bus, and read what the router recorded and handed to its outbox.
/// </summary>
public sealed class RouterWorld(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    /// <summary>The event types the provisioner subscribes.</summary>
    public static readonly string[] EventTypes = ["message.received", "message.received.unauthenticated", "message.received.spam", "message.sent", "message.delivered", "message.bounced", "message.complained", "message.rejected"];

    /// <summary>The servers.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox.</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>The router.</summary>
    public RouterFactory Router { get; private set; } = null!;

    /// <summary>A client of the router over real HTTP.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        Router = new RouterFactory(Infrastructure, Sandbox, settings);
        Router.StartServer();
        Client = Router.CreateClient().WithOpsKey();
        await Eventually.Until(() => Client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(60), "inbound-router to report ready");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Router is not null)
        {
            await Router.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }

    /// <summary>Creates an inbox stamped with <paramref name="orderRef"/> and a webhook scoped to it posting to the router; returns their ids and the secret.</summary>
    public async Task<(string InboxId, string WebhookId, string Secret)> ProvisionAsync(string orderRef)
    {
        var name = $"cust-{Guid.NewGuid():N}"[..20];
        var inbox = await PostAsync("v0/inboxes", new { username = name, client_id = $"inbox-{name}", metadata = new { order_ref = orderRef } });
        var inboxId = inbox["inbox_id"]!.GetValue<string>();
        var webhook = await PostAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks", new { url = Router.WebhookUrl, event_types = EventTypes, client_id = $"webhook-{name}" });
        return (inboxId, webhook["webhook_id"]!.GetValue<string>(), webhook["secret"]!.GetValue<string>());
    }

    /// <summary>
    /// Provisions an inbox stamped with <paramref name="orderRef"/> and tells the router it is ready
    /// (<see cref="ReadyAsync"/>); returns the inbox's and webhook's ids and the secret.
    /// </summary>
    public async Task<(string InboxId, string WebhookId, string Secret)> ProvisionReadyAsync(Guid orderId, string orderRef, string userId, DateTimeOffset? placedAt = null)
    {
        var provisioned = await ProvisionAsync(orderRef);
        await ReadyAsync(orderId, orderRef, userId, provisioned.InboxId, provisioned.WebhookId, placedAt);
        return provisioned;
    }

    /// <summary>
    /// Publishes the provisioner's <c>InboxReady</c> for <paramref name="orderId"/> (placed at <paramref name="placedAt"/>,
    /// now when null) and waits until the router has learnt <paramref name="webhookId"/> as the inbox's: until then an
    /// email to the inbox would be verified by asking AgentMail, not by what the spec set up.
    /// </summary>
    public async Task ReadyAsync(Guid orderId, string orderRef, string userId, string inboxId, string webhookId, DateTimeOffset? placedAt = null)
    {
        await PublishAsync(new InboxReady(orderId, orderRef, userId, inboxId, inboxId, webhookId, placedAt ?? DateTimeOffset.UtcNow));
        await Eventually.Until(() => KnowsWebhookAsync(webhookId), known => known, TimeSpan.FromSeconds(60), $"InboxReady of {orderRef} to be learnt");
    }

    /// <summary>Creates another webhook scoped to <paramref name="inboxId"/> posting to the router, for <paramref name="eventTypes"/>; its id and secret.</summary>
    public async Task<(string WebhookId, string Secret)> AddWebhookAsync(string inboxId, params string[] eventTypes)
    {
        var webhook = await PostAsync(
            $"v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks",
            new { url = Router.WebhookUrl, event_types = eventTypes.Length > 0 ? eventTypes : EventTypes, client_id = $"webhook-{Guid.NewGuid():N}" });
        return (webhook["webhook_id"]!.GetValue<string>(), webhook["secret"]!.GetValue<string>());
    }

    /// <summary>Deletes a webhook at AgentMail.</summary>
    public async Task DeleteWebhookAsync(string webhookId)
    {
        using var agentMail = AgentMail();
        using var response = await agentMail.DeleteAsync($"v0/webhooks/{Uri.EscapeDataString(webhookId)}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The inbox sends mail to <paramref name="to"/> through AgentMail (which fires <c>message.sent</c>, then delivered, bounced or complained; or only rejected); its message id.</summary>
    public async Task<string> SendFromAsync(string inboxId, string to)
    {
        using var agentMail = AgentMail();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages/send")
        {
            Content = JsonContent.Create(new { to = new[] { to }, subject = "Your order", text = "On its way." }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await agentMail.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["message_id"]!.GetValue<string>();
    }

    /// <summary>Mail to <paramref name="address"/> bounces from now on.</summary>
    public Task BounceAsync(string address) => MarkAsync("bouncing", address);

    /// <summary>Mail to <paramref name="address"/> meets <paramref name="fate"/> from now on: <c>bouncing</c>, <c>complaining</c> or <c>rejecting</c>.</summary>
    public async Task MarkAsync(string fate, string address)
    {
        using var response = await Sandbox.Http.PostAsJsonAsync($"sandbox/agentmail/{fate}", new { addresses = new[] { address } });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Posts <paramref name="body"/> to the ingress as AgentMail would, signed with <paramref name="secret"/> at
    /// <paramref name="signedAt"/> (now when null), under <paramref name="svixId"/> or a new one.
    /// </summary>
    public async Task<HttpResponseMessage> PostSignedAsync(byte[] body, string secret, string? svixId = null, DateTimeOffset? signedAt = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/agentmail") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in SvixSigner.Headers(secret, svixId ?? $"msg_{Guid.NewGuid():N}", signedAt ?? DateTimeOffset.UtcNow, body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Re-stamps the inbox's <c>metadata.order_ref</c>.</summary>
    public async Task StampAsync(string inboxId, string orderRef)
    {
        using var agentMail = AgentMail();
        using var response = await agentMail.PatchAsJsonAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}", new { metadata = new { order_ref = orderRef } });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A customer emails the inbox; the sandbox delivers <c>message.received</c> to the router, signed.</summary>
    public async Task<string> EmailAsync(string inboxId, object email)
    {
        using var response = await Sandbox.Http.PostAsJsonAsync($"sandbox/agentmail/inboxes/{Uri.EscapeDataString(inboxId)}/messages", email);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["message_id"]!.GetValue<string>();
    }

    /// <summary>Adds a sandbox fault rule.</summary>
    public async Task FaultAsync(object rule)
    {
        using var response = await Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Removes every sandbox fault rule: AgentMail answers as itself again.</summary>
    public async Task ClearFaultsAsync()
    {
        using var response = await Sandbox.Http.DeleteAsync("sandbox/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How often the sandbox's fault rules in force applied: requests they answered instead of AgentMail.</summary>
    public async Task<long> FaultsAppliedAsync()
    {
        var rules = await Sandbox.Http.GetFromJsonAsync<JsonNode>("sandbox/faults");
        var list = rules is JsonArray array ? array : rules!["faults"]!.AsArray();
        return list.Sum(r => r!["applied"]!.GetValue<long>());
    }

    /// <summary>The sandbox's delivery attempts to the router, of one event type.</summary>
    public async Task<IReadOnlyList<JsonObject>> AttemptsAsync(string eventType)
    {
        var attempts = await Sandbox.Http.GetFromJsonAsync<JsonNode>("sandbox/webhook-attempts?api=agentmail");
        var list = attempts is JsonArray array ? array : attempts!["attempts"]!.AsArray();
        return [.. list.Select(a => a!.AsObject()).Where(a => a["event_type"]!.GetValue<string>() == eventType)];
    }

    /// <summary>
    /// Waits until the sandbox has recorded at least <paramref name="count"/> delivery attempts of <paramref name="eventType"/>
    /// and returns them all. The sandbox records an attempt only once it has read the router's answer, which the router
    /// gives after committing the event: its row, outbox message or routing can be seen before the attempt is.
    /// </summary>
    public Task<IReadOnlyList<JsonObject>> AnsweredAttemptsAsync(string eventType, int count = 1) =>
        Eventually.Until(() => AttemptsAsync(eventType), attempts => attempts.Count >= count, TimeSpan.FromSeconds(30), $"{count} {eventType} attempt(s) answered and recorded by the sandbox");

    /// <summary>Publishes <paramref name="message"/> on the router's own bus, as another service would.</summary>
    public Task PublishAsync<T>(T message)
        where T : class => Router.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>Publishes <paramref name="message"/> under <paramref name="messageId"/>: the same id again is a redelivery's or an outbox's republish.</summary>
    public Task PublishAsync<T>(T message, Guid messageId)
        where T : class => Router.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    /// <summary>
    /// Records received emails as the ingress's group commit does (their <c>received_events</c> rows with the routing
    /// payload), optionally as claimed until <paramref name="claimedUntil"/> by a pump that never finished, and wakes no
    /// pump: a spec decides who routes them.
    /// </summary>
    public async Task RecordReceivedAsync(IReadOnlyList<InboundEmailReceived> emails, DateTimeOffset? claimedUntil = null)
    {
        await using var connection = await Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, email, claimed_until, route_attempts)
            select 'msg_' || e.event_id, e.event_id, e.inbox_id, 'message.received', e.email, @ClaimedUntil, case when @ClaimedUntil is null then 0 else 1 end
            from unnest(@EventIds, @InboxIds, @Emails) as e (event_id, inbox_id, email)
            """,
            new
            {
                EventIds = emails.Select(e => e.EventId).ToArray(),
                InboxIds = emails.Select(e => e.InboxId).ToArray(),
                Emails = emails.Select(e => e.ToJson()).ToArray(),
                ClaimedUntil = claimedUntil,
            });
    }

    /// <summary>A customer's email to <paramref name="inboxId"/> as the ingress records it, under an event id of its own.</summary>
    public static InboundEmailReceived Email(string inboxId, string messageId) =>
        new($"evt_{Guid.NewGuid():N}", inboxId, messageId, $"thr_{Guid.NewGuid():N}", "jane@acme.example", "Where is it?", "Not here yet.", null, null, [],
            DateTimeOffset.UtcNow, null, null, null);

    /// <summary>Makes <paramref name="orderRef"/> known to the router as <paramref name="orderId"/>'s, as OrderCreated would.</summary>
    public async Task KnowOrderAsync(string orderRef, Guid orderId)
    {
        await using var connection = await Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into inbound.order_refs (order_ref, order_id, user_id) values (@OrderRef, @OrderId, 'user_spec')", new { OrderRef = orderRef, OrderId = orderId });
    }

    /// <summary>The payloads of the router's outbox rows of <typeparamref name="T"/> (what it hands to the bus).</summary>
    public async Task<IReadOnlyList<JsonElement>> OutboxAsync<T>()
    {
        await using var connection = await Infrastructure.Database.OpenConnectionAsync();
        var rows = await connection.QueryAsync<string>(
            "select payload::text from inbound.outbox_messages where message_type = @Type order by created_at", new { Type = typeof(T).FullName });
        return [.. rows.Select(r => JsonDocument.Parse(r).RootElement.Clone())];
    }

    /// <summary>Whether the router holds <paramref name="webhookId"/> as an inbox's webhook.</summary>
    public async Task<bool> KnowsWebhookAsync(string webhookId)
    {
        await using var connection = await Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from inbound.inbox_webhooks where webhook_id = @WebhookId)", new { WebhookId = webhookId });
    }

    /// <summary>How many rows the router holds in <paramref name="table"/> of its schema.</summary>
    public async Task<long> CountAsync(string table)
    {
        await using var connection = await Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"select count(*) from inbound.{table}");
    }

    /// <summary>Waits until the router's outbox holds <paramref name="count"/> rows of <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public Task<IReadOnlyList<JsonElement>> WaitForAsync<T>(Func<JsonElement, bool> match, int count = 1) =>
        Eventually.Until(
            async () => (IReadOnlyList<JsonElement>)[.. (await OutboxAsync<T>()).Where(match)],
            rows => rows.Count >= count,
            TimeSpan.FromSeconds(30),
            $"{count} {typeof(T).Name} in the router's outbox");

    private HttpClient AgentMail()
    {
        var client = new HttpClient { BaseAddress = new Uri(Sandbox.AgentMailBaseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "am_test_world");
        return client;
    }

    private async Task<JsonObject> PostAsync(string path, object body)
    {
        using var agentMail = AgentMail();
        using var response = await agentMail.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

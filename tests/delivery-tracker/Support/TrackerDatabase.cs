using System.Text.Json;
using Dapper;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>What specs seed into and read from the tracker's schema.</summary>
public sealed class TrackerDatabase(TestDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// An email the relay has sent, with the provider's id stamped and its delivery state still queued, as relays
    /// recorded it before they set "sent" on acceptance: every later fact, "sent" included, moves it. Its Message-ID, as
    /// the relay recorded it, is <paramref name="internetMessageId"/>.
    /// </summary>
    public async Task<Guid> SeedEmailAsync(string provider, string providerMessageId, Guid? orderId = null, string? internetMessageId = null)
    {
        var emailId = Guid.NewGuid();
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into delivery.outbound_emails (email_id, order_id, kind, provider, recipients, subject, file_name, provider_message_id, send_state, internet_message_id)
            values (@emailId, @orderId, 'order_confirmation', @provider, array['jane@example.com'], 'Your order', @file, @providerMessageId, 'sent', @internetMessageId)
            """,
            new { emailId, orderId, provider, providerMessageId, file = $"{emailId:N}.json", internetMessageId });
        return emailId;
    }

    /// <summary>The email's delivery state, rank and detail.</summary>
    public async Task<(string State, int Rank, string? Detail)> StateOfAsync(Guid emailId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, int, string?)>(
            "select delivery_state, delivery_rank, delivery_detail from delivery.outbound_emails where email_id = @emailId", new { emailId });
    }

    /// <summary>The email's state for the relay and its last error.</summary>
    public async Task<(string SendState, string? LastError)> SendStateOfAsync(Guid emailId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, string?)>(
            "select send_state, last_error from delivery.outbound_emails where email_id = @emailId", new { emailId });
    }

    /// <summary>The <see cref="DeliveryStateChanged"/> events written for the email, in the order they were written.</summary>
    public async Task<IReadOnlyList<DeliveryStateChanged>> ChangesOfAsync(Guid emailId)
    {
        await using var connection = await database.OpenConnectionAsync();
        var payloads = await connection.QueryAsync<string>(
            """
            select payload::text from delivery.outbox_messages
            where message_type = @type and payload ->> 'emailId' = @emailId
            order by created_at, id
            """,
            new { type = typeof(DeliveryStateChanged).FullName, emailId = emailId.ToString() });
        return [.. payloads.Select(p => JsonSerializer.Deserialize<DeliveryStateChanged>(p, Json)!)];
    }

    /// <summary>The <see cref="OutboundMessageIdAssigned"/> events written for the email, in the order they were written.</summary>
    public async Task<IReadOnlyList<OutboundMessageIdAssigned>> AssignedOfAsync(Guid emailId)
    {
        await using var connection = await database.OpenConnectionAsync();
        var payloads = await connection.QueryAsync<string>(
            """
            select payload::text from delivery.outbox_messages
            where message_type = @type and payload ->> 'emailId' = @emailId
            order by created_at, id
            """,
            new { type = typeof(OutboundMessageIdAssigned).FullName, emailId = emailId.ToString() });
        return [.. payloads.Select(p => JsonSerializer.Deserialize<OutboundMessageIdAssigned>(p, Json)!)];
    }

    /// <summary>The facts kept in <c>pending_delivery_events</c> for a provider's message id.</summary>
    public async Task<int> PendingOfAsync(string providerMessageId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "select count(*) from delivery.pending_delivery_events where provider_message_id = @providerMessageId", new { providerMessageId });
    }

    /// <summary>Dates back the facts kept for a provider's message id, as if they had waited <paramref name="age"/>.</summary>
    public async Task AgePendingAsync(string providerMessageId, TimeSpan age)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "update delivery.pending_delivery_events set received_at = now() - @age where provider_message_id = @providerMessageId", new { providerMessageId, age });
    }

    /// <summary>Which of <paramref name="svixIds"/> the tracker recorded as applied Resend deliveries.</summary>
    public async Task<IReadOnlyList<string>> RecordedWebhooksAsync(params string[] svixIds)
    {
        await using var connection = await database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "select svix_id from delivery.resend_webhook_deliveries where svix_id = any(@svixIds) order by svix_id", new { svixIds })];
    }

    /// <summary>Which of <paramref name="messageIds"/> <paramref name="consumer"/> recorded as applied bus messages.</summary>
    public async Task<IReadOnlyList<Guid>> ProcessedAsync(string consumer, params Guid[] messageIds)
    {
        await using var connection = await database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Guid>(
            "select message_id from delivery.processed_messages where consumer = @consumer and message_id = any(@messageIds)", new { consumer, messageIds })];
    }

    /// <summary>Rows of a table of the tracker's schema.</summary>
    public async Task<int> CountAsync(string table)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>($"select count(*) from delivery.{table}");
    }
}

using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// Verified events the ingress cannot read as the event they say they are (<see cref="AgentMailEventReader.Read"/>):
/// set aside for a person at once (<c>claimed_until = 'infinity'</c>, the reason, the body as it came) instead of refused,
/// because Svix drops what is refused after its retries and a verified event is AgentMail's word about a real email.
/// They are rare, so each is an insert of its own beside the group commit, which the common path pays nothing for. A
/// person's retry reads the body again with this version's reader: one that reads now becomes what the ingress would
/// have recorded.
/// </summary>
public sealed partial class UnreadableEvents(
    NpgsqlDataSource dataSource, OutboxWriter outbox, SetAsideGauge gauge, IOptions<IngressOptions> options, TimeProvider clock, ILogger<UnreadableEvents> logger)
{
    /// <summary>Sets the event aside; true when it is new, false when its <c>svix-id</c> or <c>event_id</c> was recorded before.</summary>
    /// <exception cref="TimeoutException">It was not durable within <see cref="IngressOptions.RecordTimeout"/>.</exception>
    internal async Task<bool> SetAsideAsync(EventKeys keys, string reason, byte[] body, CancellationToken cancellationToken)
    {
        var recordTimeout = options.Value.RecordTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(recordTimeout);
        bool isNew;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            isNew = await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into received_events (svix_id, event_id, inbox_id, event_type, claimed_until, set_aside_reason, unreadable_event)
                values (@SvixId, @EventId, @InboxId, @EventType, 'infinity', @Reason, @Body)
                on conflict do nothing
                """,
                new { keys.SvixId, keys.EventId, keys.InboxId, keys.EventType, Reason = reason, Body = Encoding.UTF8.GetString(body) },
                cancellationToken: timeout.Token)) == 1;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The event was not set aside within {recordTimeout}.", e);
        }

        if (isNew)
        {
            LogSetAside(logger, keys.SvixId, keys.EventType, keys.InboxId, reason);
            await gauge.RefreshAsync(cancellationToken);
        }

        return isNew;
    }

    /// <summary>
    /// Reads the body of the event set aside under <paramref name="svixId"/> again: one that reads now is recorded as the
    /// ingress would have (an email for the pump to claim, or a delivery fact's outbox row) in one transaction; one that
    /// still cannot be read keeps its row, with the reason of this reading.
    /// </summary>
    internal async Task<SetAsideRetry> ReadAgainAsync(string svixId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string InboxId, string Body)>(new CommandDefinition(
            "select inbox_id, unreadable_event from received_events where svix_id = @SvixId and claimed_until = 'infinity' and unreadable_event is not null",
            new { SvixId = svixId },
            cancellationToken: cancellationToken))).ToList();
        if (rows is not [var (inboxId, body)])
        {
            return SetAsideRetry.NotSetAside;
        }

        var (read, unreadable) = Read(svixId, inboxId, body);
        if (read is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update received_events set set_aside_reason = @Reason where svix_id = @SvixId and claimed_until = 'infinity' and unreadable_event is not null",
                new { SvixId = svixId, Reason = unreadable },
                cancellationToken: cancellationToken));
            return SetAsideRetry.Unreadable(unreadable!);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Only the retry that takes the row hands the event on: two at once record it once.
        var taken = await connection.ExecuteAsync(new CommandDefinition(
            """
            update received_events
            set email = @Email, trace_parent = @TraceParent, claimed_until = null, route_attempts = 0, set_aside_reason = null, unreadable_event = null
            where svix_id = @SvixId and claimed_until = 'infinity' and unreadable_event is not null
            """,
            new { SvixId = svixId, Email = read.ToRoute?.Email, TraceParent = read.ToRoute?.TraceParent },
            transaction,
            cancellationToken: cancellationToken));
        if (taken == 0)
        {
            return SetAsideRetry.NotSetAside;
        }

        await OutboxWriter.AddEntriesAsync(transaction, read.Published is { } published ? [published] : [], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (read.Published is not null)
        {
            outbox.Notify();
        }

        return SetAsideRetry.Back;
    }

    private (IngressEvent? Event, string? Unreadable) Read(string svixId, string inboxId, string body)
    {
        try
        {
            // The bytes the ingress verified, parsed as it parsed them; received, as far as an email's time may be ahead of, now.
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(body));
            var (keys, refusal) = AgentMailEventReader.Identify(document.RootElement, svixId, inboxId);
            return keys is null ? (null, refusal) : AgentMailEventReader.Read(document.RootElement, keys, outbox, clock.GetUtcNow());
        }
        catch (JsonException e)
        {
            return (null, $"the stored body is not JSON: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingress: verified event {SvixId} ({EventType}) of inbox {InboxId} cannot be read; set aside (claimed_until 'infinity') for a person: {Why}")]
    private static partial void LogSetAside(ILogger logger, string svixId, string eventType, string inboxId, string why);
}

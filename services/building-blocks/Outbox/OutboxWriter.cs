using System.Diagnostics;
using Dapper;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Writes events into the service's outbox inside the caller's transaction, so an event exists if and only if the
/// change it is about commits, together with the current trace, which its publish will continue. Call
/// <see cref="Notify"/> once that transaction has committed.
/// </summary>
public sealed class OutboxWriter(OutboxMessageTypes messages, OutboxSignal signal)
{
    /// <summary>Adds <paramref name="message"/> as a pending row; returns its id, which is also the message id it will be published with.</summary>
    /// <exception cref="ArgumentException">The outbox does not carry <typeparamref name="TMessage"/>.</exception>
    public async Task<Guid> AddAsync<TMessage>(NpgsqlTransaction transaction, TMessage message, CancellationToken cancellationToken)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        var id = NewMessageId();
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "insert into outbox_messages (id, message_type, payload, trace_parent) values (@Id, @Type, @Payload::jsonb, @TraceParent)",
            new
            {
                Id = id,
                Type = messages.TypeName(typeof(TMessage)),
                Payload = OutboxMessageTypes.Serialize(message, typeof(TMessage)),
                TraceParent = CurrentTraceParent(),
            },
            transaction,
            cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>Prepares <paramref name="message"/> for <see cref="AddEntriesAsync"/>, under the current trace.</summary>
    /// <exception cref="ArgumentException">The outbox does not carry <typeparamref name="TMessage"/>.</exception>
    public OutboxEntry Prepare<TMessage>(TMessage message)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutboxEntry(NewMessageId(), messages.TypeName(typeof(TMessage)), OutboxMessageTypes.Serialize(message, typeof(TMessage)), CurrentTraceParent());
    }

    /// <summary>Adds prepared entries as pending rows in one statement, inside the caller's transaction.</summary>
    public static async Task AddEntriesAsync(NpgsqlTransaction transaction, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into outbox_messages (id, message_type, payload, trace_parent)
            select e.id, e.message_type, e.payload::jsonb, e.trace_parent
            from unnest(@Ids, @Types, @Payloads, @TraceParents) as e (id, message_type, payload, trace_parent)
            """,
            new
            {
                Ids = entries.Select(e => e.Id).ToArray(),
                Types = entries.Select(e => e.MessageType).ToArray(),
                Payloads = entries.Select(e => e.Payload).ToArray(),
                TraceParents = entries.Select(e => e.TraceParent).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Wakes this process's relay after a commit that added rows, so they go out within milliseconds; never blocks.</summary>
    public void Notify() => signal.Notify();

    /// <summary>The current span as a W3C <c>traceparent</c>, or null outside a trace.</summary>
    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    // Time-ordered (UUIDv7): rows written together sit together in the outbox's primary key and in every consumer's
    // processed_messages key (consumer, message_id), so inserts append to the right edge of those indexes instead of
    // landing on a random leaf page each (with a full-page image in the WAL after every checkpoint).
    private static Guid NewMessageId() => Guid.CreateVersion7();
}

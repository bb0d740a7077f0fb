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
        var id = Guid.NewGuid();
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

    /// <summary>Wakes this process's relay after a commit that added rows, so they go out within milliseconds; never blocks.</summary>
    public void Notify() => signal.Notify();

    /// <summary>The current span as a W3C <c>traceparent</c>, or null outside a trace.</summary>
    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}

using System.Diagnostics;
using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Outbox;

/// <summary>
/// Writes an event into the outbox inside the caller's transaction, so the event exists if and only if the
/// change it is about commits, together with the current trace, which its publish will continue. Call
/// <see cref="OutboxSignal.Notify"/> after the commit.
/// </summary>
public static class OutboxWriter
{
    /// <summary>Adds <paramref name="message"/> as a pending row; returns its id, which is also the message id it will be published with.</summary>
    public static async Task<Guid> AddAsync<TMessage>(NpgsqlTransaction transaction, TMessage message, CancellationToken cancellationToken)
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
                Type = OutboxMessages.TypeName(typeof(TMessage)),
                Payload = OutboxMessages.Serialize(message, typeof(TMessage)),
                TraceParent = CurrentTraceParent(),
            },
            transaction,
            cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>The current span as a W3C <c>traceparent</c>, or null outside a trace.</summary>
    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}

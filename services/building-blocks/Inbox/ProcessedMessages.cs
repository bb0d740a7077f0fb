using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Inbox;

/// <summary>
/// The consumers' memory of applied messages (<c>processed_messages</c>), written in the same transaction as
/// the change a message makes: a redelivered or republished message (same message id) changes nothing twice.
/// Two deliveries racing each other serialise on the primary key; the second finds the first's row.
/// The table lives in the consuming service's schema (<see cref="ProcessedMessagesExtensions.AddProcessedMessages"/>).
/// </summary>
public static partial class ProcessedMessages
{
    /// <summary>
    /// Records that <paramref name="consumer"/> applies <paramref name="messageId"/>; false when it already did.
    /// A message without an id cannot be recognised again, so it is applied (the updates are idempotent anyway).
    /// </summary>
    public static async Task<bool> TryRecordAsync(NpgsqlTransaction transaction, string consumer, Guid? messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (messageId is not { } id)
        {
            return true;
        }

        var inserted = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "insert into processed_messages (consumer, message_id) values (@Consumer, @MessageId) on conflict do nothing",
            new { Consumer = consumer, MessageId = id },
            transaction,
            cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <summary>
    /// Applies a consumed message at most once: records it and runs <paramref name="apply"/> in one transaction,
    /// which commits both or neither. A message already recorded is logged and changes nothing.
    /// </summary>
    public static async Task ApplyOnceAsync(
        NpgsqlDataSource dataSource,
        ConsumeContext context,
        string consumer,
        ILogger logger,
        Func<NpgsqlTransaction, CancellationToken, Task> apply)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(apply);
        var cancellationToken = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryRecordAsync(transaction, consumer, context.MessageId, cancellationToken))
        {
            LogAlreadyApplied(logger, consumer, context.MessageId);
            return;
        }

        await apply(transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Consumer}: message {MessageId} was already applied")]
    private static partial void LogAlreadyApplied(ILogger logger, string consumer, Guid? messageId);
}

using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.OrdersApi.Outbox;

/// <summary>
/// Publishes pending outbox rows, oldest first, each under its row id as the message id, and stamps them.
/// A batch is locked, published (its publishes together, each awaiting the broker's confirm within a timeout)
/// and stamped in one transaction, so two relays never publish the same row, and a crash between a publish and its stamp
/// only publishes the row again under the same message id, which consumers recognise. While the broker
/// fails, rows stay pending with their attempts and last error, and the relay backs off and keeps trying.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    OutboxMetrics metrics,
    ServiceTelemetry telemetry,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;
    private DateTime _pendingSummarizedAt = DateTime.MinValue;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new OutboxBackoff(_options.MinBackoff, _options.MaxBackoff);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = await RelayOnceAsync(stoppingToken);
                if (batch.Failed)
                {
                    await Task.Delay(backoff.Next(), stoppingToken);
                    continue;
                }

                backoff.Reset();
                if (batch.Published < _options.BatchSize)
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever was confirmed has been stamped; the rest stays pending for the next start.
        }
    }

    private async Task<BatchResult> RelayOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var batch = await RelayBatchAsync(stoppingToken);
            await SummarizePendingAsync(stoppingToken);
            return batch;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // An exception leaving ExecuteAsync would stop the whole host; the relay pauses and tries again instead.
            LogRelayFailed(logger, e);
            return new BatchResult(0, Failed: true);
        }
    }

    private async Task<BatchResult> RelayBatchAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        await using var transaction = await connection.BeginTransactionAsync(stoppingToken);
        var rows = await OutboxTable.LockPendingAsync(transaction, _options.BatchSize, stoppingToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(stoppingToken);
            return new BatchResult(0, Failed: false);
        }

        using var activity = telemetry.ActivitySource.StartActivity("outbox relay");
        activity?.SetTag("ordersmail.outbox.batch_size", rows.Count);

        // The batch's publishes go out together: the broker pipelines their confirms, so a batch costs about one
        // round trip instead of one per row. Order between rows was never promised (each has its own message id).
        var outcomes = await Task.WhenAll(rows.Select(row => PublishAsync(row, stoppingToken)));

        var published = new List<Guid>(rows.Count);
        var brokerFailed = false;
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, outcome) = (rows[i], outcomes[i]);
            if (outcome.Stopped)
            {
                continue;
            }

            if (outcome.Error is null)
            {
                published.Add(row.Id);
                metrics.RecordPublished(new DateTimeOffset(row.CreatedAt, TimeSpan.Zero));
                continue;
            }

            await OutboxTable.RecordFailureAsync(transaction, row.Id, outcome.Error, CancellationToken.None);
            brokerFailed |= outcome.BrokerFailed;
        }

        // Not cancellable: a confirmed publish must be stamped, even while stopping, or it goes out twice.
        await OutboxTable.MarkPublishedAsync(transaction, [.. published], CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        activity?.SetTag("ordersmail.outbox.published", published.Count);
        if (published.Count > 0)
        {
            LogPublished(logger, published.Count);
        }

        return new BatchResult(published.Count, brokerFailed);
    }

    private async Task<PublishOutcome> PublishAsync(PendingOutboxMessage row, CancellationToken stoppingToken)
    {
        object? message;
        Type? type;
        try
        {
            if (!OutboxMessages.TryRead(row.MessageType, row.Payload, out message, out type))
            {
                LogUnknownType(logger, row.Id, row.MessageType);
                return PublishOutcome.Unpublishable($"unknown message type {row.MessageType}");
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            LogUnreadable(logger, row.Id, row.MessageType, e.Message);
            return PublishOutcome.Unpublishable($"unreadable payload: {e.Message}");
        }

        // The publish continues the trace of the request that wrote the row, so the event's consumers in the
        // other services join it; MassTransit's send span becomes a child of this one.
        var parent = row.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        using var activity = telemetry.ActivitySource.StartActivity("outbox publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.Id);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await bus.Publish(message, type, context => context.MessageId = row.Id, timeout.Token);
            return PublishOutcome.Published;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return PublishOutcome.Stopping;
        }
        catch (OperationCanceledException)
        {
            LogPublishFailed(logger, row.Id, $"no confirm within {_options.PublishTimeout.TotalSeconds:0.#} s");
            return PublishOutcome.BrokerFailure($"no broker confirm within {_options.PublishTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e)
        {
            // Whatever the transport threw (connection, confirm, channel errors), the row stays pending.
            LogPublishFailed(logger, row.Id, e.Message);
            return PublishOutcome.BrokerFailure(e.Message);
        }
    }

    private async Task SummarizePendingAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _pendingSummarizedAt < _options.PollInterval)
        {
            return;
        }

        var (count, oldest) = await OutboxTable.SummarizePendingAsync(dataSource, cancellationToken);
        metrics.RecordPending(count, oldest);
        _pendingSummarizedAt = DateTime.UtcNow;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox: published {Count} message(s)")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: publishing {OutboxId} failed, it stays pending: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid outboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: relaying failed (database unavailable?), retrying after a pause")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: row {OutboxId} has type {MessageType}, which this version does not publish; it stays pending")]
    private static partial void LogUnknownType(ILogger logger, Guid outboxId, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: row {OutboxId} ({MessageType}) has an unreadable payload; it stays pending: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, Guid outboxId, string messageType, string reason);

    private readonly record struct BatchResult(int Published, bool Failed);

    private readonly record struct PublishOutcome(string? Error, bool BrokerFailed, bool Stopped)
    {
        public static PublishOutcome Published => new(null, false, false);

        public static PublishOutcome Stopping => new(null, false, true);

        public static PublishOutcome BrokerFailure(string error) => new(error, true, false);

        public static PublishOutcome Unpublishable(string error) => new(error, false, false);
    }
}

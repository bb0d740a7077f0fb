using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Publishes pending outbox rows, oldest first, each under its row id as the message id, and stamps them. A batch is
/// claimed for <see cref="OutboxOptions.ClaimLease"/> in one committed statement, published (its publishes together,
/// each awaiting the broker's confirm within a timeout) with no transaction, connection or row lock held, then stamped
/// in one more statement. Two relays never publish the same row while its claim is live; a crash between a publish and
/// its stamp only publishes the row again, after the lease, under the same message id, which consumers recognise. While
/// the broker fails, rows stay pending with their attempts and last error, and the relay backs off and keeps trying;
/// when the broker is back (<see cref="BrokerReturns"/>) it stops waiting and publishes at once. A row that keeps
/// failing through its own fault is set aside after <see cref="OutboxOptions.MaxAttempts"/> attempts (a dead letter,
/// logged and counted) instead of coming back in every batch for good.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxMessageTypes messages,
    OutboxSignal signal,
    BrokerReturns brokerReturns,
    OutboxMetrics metrics,
    ServiceTelemetry telemetry,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;
    private readonly OutboxPublisher _publisher = new(bus, messages, telemetry, logger);
    private readonly string[] _messageTypes = messages.Names;
    private DateTime _summarizedAt = DateTime.MinValue;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new OutboxBackoff(_options.MinBackoff, _options.MaxBackoff);
        var brokerReturn = brokerReturns.Next;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (brokerReturn.IsCancellationRequested)
                {
                    brokerReturn = brokerReturns.Next;
                }

                var batch = await RelayOnceAsync(brokerReturn, stoppingToken);
                if (batch.Failed)
                {
                    // The pause ends early when the broker is back (at once if it came back during the batch): the
                    // backlog an outage left goes out as soon as the broker takes it, not after the pause it had reached.
                    if (await BrokerReturns.WaitAsync(backoff.Next(), brokerReturn, stoppingToken))
                    {
                        backoff.Reset();
                    }

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

    private async Task<BatchResult> RelayOnceAsync(CancellationToken brokerReturn, CancellationToken stoppingToken)
    {
        try
        {
            var batch = await RelayBatchAsync(brokerReturn, stoppingToken);
            await SummarizeAsync(stoppingToken);
            return batch;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // An exception leaving ExecuteAsync would stop the whole host; the relay pauses and tries again instead.
            LogRelayFailed(logger, e);
            return new BatchResult(0, Failed: true);
        }
    }

    private async Task<BatchResult> RelayBatchAsync(CancellationToken brokerReturn, CancellationToken stoppingToken)
    {
        var rows = await OutboxTable.ClaimPendingAsync(dataSource, _messageTypes, _options.BatchSize, _options.ClaimLease, stoppingToken);
        if (rows.Count == 0)
        {
            return new BatchResult(0, Failed: false);
        }

        using var activity = telemetry.ActivitySource.StartActivity("outbox relay");
        activity?.SetTag("ordersmail.outbox.batch_size", rows.Count);

        // The batch's publishes go out together: the broker pipelines their confirms, so a batch costs about one
        // round trip instead of one per row. Order between rows was never promised (each has its own message id).
        using var window = new PublishWindow(_options.PublishTimeout, brokerReturn, stoppingToken);
        var outcomes = await Task.WhenAll(rows.Select(row => _publisher.PublishAsync(row, window)));

        var published = new List<Guid>(rows.Count);
        foreach (var (row, outcome) in rows.Zip(outcomes))
        {
            if (outcome is { Stopped: false, Error: null })
            {
                published.Add(row.Id);
                metrics.RecordPublished(new DateTimeOffset(row.CreatedAt, TimeSpan.Zero));
            }
        }

        // A broker failure is the row's own fault only when the broker took other rows of the same batch meanwhile:
        // an outage fails them all, and however long it lasts it must not cost any row its place in the queue.
        var failures = rows.Zip(outcomes)
            .Where(r => r.Second.Error is not null)
            .Select(r => new OutboxFailure(r.First.Id, r.Second.Error!, OwnFault: !r.Second.BrokerFailed || published.Count > 0))
            .ToList();
        var untried = rows.Zip(outcomes).Where(r => r.Second.Stopped).Select(r => r.First.Id).ToArray();

        // Not cancellable: a confirmed publish must be stamped, even while stopping, or it goes out again after the lease.
        var deadLettered = await OutboxTable.StampAsync(dataSource, [.. published], failures, untried, _options.MaxAttempts, CancellationToken.None);

        activity?.SetTag("ordersmail.outbox.published", published.Count);
        activity?.SetTag("ordersmail.outbox.dead_lettered", deadLettered.Count);
        if (published.Count > 0)
        {
            LogPublished(logger, published.Count);
        }

        foreach (var (id, attempts, error) in deadLettered)
        {
            LogDeadLettered(logger, id, attempts, error);
        }

        if (deadLettered.Count > 0)
        {
            metrics.RecordDeadLettered(deadLettered.Count);
        }

        return new BatchResult(published.Count, outcomes.Any(o => o.BrokerFailed));
    }

    private async Task SummarizeAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _summarizedAt < _options.PollInterval)
        {
            return;
        }

        metrics.RecordSummary(await OutboxTable.SummarizeAsync(dataSource, cancellationToken));
        _summarizedAt = DateTime.UtcNow;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox: published {Count} message(s)")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: row {OutboxId} set aside as a dead letter after {Attempts} failed attempts: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, Guid outboxId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: relaying failed (database unavailable?), retrying after a pause")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);

    private readonly record struct BatchResult(int Published, bool Failed);
}

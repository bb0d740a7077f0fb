using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Delivery;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Group commit of the writes every email makes (picked up, then sent) and of the look-up that tells a new Resend email
/// from a known one: the workers' entries wait in a queue, and
/// <see cref="RelayOptions.JournalWriters"/> writers each take what is waiting (up to <see cref="RelayOptions.JournalBatchSize"/>)
/// into one transaction, so a burst of files costs a few commits instead of two per file, while a lone file is
/// written at once. A caller is answered only after its write committed, so no file moves before its outcome is
/// recorded. A batch that fails is written again entry by entry, so one bad entry
/// fails alone.
/// </summary>
public sealed partial class RelayJournal(
    NpgsqlDataSource dataSource,
    OutboxWriter outbox,
    DeliveryTelemetry delivery,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<RelayJournal> logger) : BackgroundService
{
    private readonly RelayOptions _options = options.Value;
    private readonly Channel<JournalEntry> _queue = Channel.CreateUnbounded<JournalEntry>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    /// <summary>True when the email has a row, i.e. some file carrying its id was picked up before.</summary>
    public Task<bool> IsKnownAsync(Guid emailId, CancellationToken cancellationToken)
    {
        var entry = new LookUpEntry(emailId);
        Enqueue(entry);
        return entry.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Records the email picked up from <paramref name="fileName"/> (with <c>OutboundEmailQueued</c>) unless it was picked
    /// up before, and returns its row; a second file with the same id is remembered as a duplicate.
    /// </summary>
    public Task<EmailRecord> PickUpAsync(string fileName, ParsedFile.Valid file, EmailProvider provider, string? internetMessageId, CancellationToken cancellationToken)
    {
        var entry = PickUp(fileName, file, provider, internetMessageId);
        Enqueue(entry);
        return entry.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Records the provider's acceptance, with <c>OutboundEmailSent</c>; false when the email was no longer pending.</summary>
    public Task<bool> RecordSentAsync(Guid emailId, Guid? orderId, EmailProvider provider, SendOutcome.Accepted accepted, CancellationToken cancellationToken)
    {
        var entry = Sent(emailId, orderId, provider, accepted);
        Enqueue(entry);
        return entry.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, _options.JournalWriters).Select(_ => WriteLoopAsync(stoppingToken)));
        }
        finally
        {
            // Stopping: nothing queued now or later waits for an answer that will not come.
            _queue.Writer.TryComplete();
            var stopped = new OperationCanceledException("The relay journal has stopped.");
            while (_queue.Reader.TryRead(out var left))
            {
                left.Fail(stopped);
            }
        }
    }

    /// <summary>The pick-up of an email, its <c>OutboundEmailQueued</c> prepared under the caller's trace; written by whoever commits it.</summary>
    internal PickUpEntry PickUp(string fileName, ParsedFile.Valid file, EmailProvider provider, string? internetMessageId)
    {
        ArgumentNullException.ThrowIfNull(file);
        var email = file.Email;
        var queued = outbox.Prepare(new OutboundEmailQueued(
            file.EmailId, email.OrderId, email.Kind ?? "email", provider, email.To, email.Subject, fileName, time.GetUtcNow(), internetMessageId, email.SentAgainOf));
        return new PickUpEntry(fileName, file, provider, internetMessageId, queued);
    }

    private SentEntry Sent(Guid emailId, Guid? orderId, EmailProvider provider, SendOutcome.Accepted accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var sentAt = time.GetUtcNow();
        var sent = outbox.Prepare(new OutboundEmailSent(emailId, orderId, provider, accepted.ProviderMessageId, sentAt, accepted.InternetMessageId));
        return new SentEntry(emailId, provider, accepted, sentAt, sent);
    }

    private void Enqueue(JournalEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            entry.Fail(new OperationCanceledException("The relay journal has stopped."));
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<JournalEntry>(_options.JournalBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < _options.JournalBatchSize && _queue.Reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }

                // The writers wait on one queue and are woken together: another one may have taken everything.
                if (batch.Count == 0)
                {
                    continue;
                }

                await CommitAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            batch.ForEach(e => e.Fail(new OperationCanceledException(stoppingToken)));
        }
    }

    private async Task CommitAsync(List<JournalEntry> batch, CancellationToken stoppingToken)
    {
        try
        {
            await WriteAsync(batch, stoppingToken);
        }
        catch (Exception e) when (batch.Count > 1 && !stoppingToken.IsCancellationRequested)
        {
            LogBatchFailed(logger, e, batch.Count);
            foreach (var entry in batch)
            {
                try
                {
                    await WriteAsync([entry], stoppingToken);
                }
                catch (Exception alone) when (!stoppingToken.IsCancellationRequested)
                {
                    entry.Fail(alone);
                }
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            batch.ForEach(entry => entry.Fail(e));
        }
    }

    private async Task WriteAsync(IReadOnlyList<JournalEntry> batch, CancellationToken stoppingToken)
    {
        IReadOnlyList<Action> answers;
        await using (var connection = await dataSource.OpenConnectionAsync(stoppingToken))
        await using (var transaction = await connection.BeginTransactionAsync(stoppingToken))
        {
            answers = await JournalBatch.WriteAsync(transaction, batch, stoppingToken);
            await transaction.CommitAsync(stoppingToken);
        }

        outbox.Notify();
        CountSent(delivery, batch.OfType<SentEntry>());
        foreach (var answer in answers)
        {
            answer();
        }
    }

    /// <summary>
    /// Counts each acceptance <paramref name="written"/> recorded, committed, as the email's move to sent in
    /// <c>ordersmail.delivery.states</c>: the provider's own "sent" fact finds the row sent already and moves nothing.
    /// </summary>
    internal static void CountSent(DeliveryTelemetry delivery, IEnumerable<SentEntry> written)
    {
        foreach (var sent in written.Where(s => s.Recorded))
        {
            delivery.StateChanged(sent.Provider, DeliveryState.Sent);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A relay journal batch of {Count} writes failed; writing each on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}

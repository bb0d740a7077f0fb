using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Takes one file from <c>email/</c> to <c>sent/</c> or <c>failed/</c>: claim it, check it, send it (outside any
/// transaction; a new Resend email as a member of a batch, through <see cref="ResendBatcher"/>), record it and the answer (with <c>OutboundEmailQueued</c> and <c>OutboundEmailSent</c> or
/// <c>OutboundEmailFailed</c>), move it. Every email is recorded as picked up before its send (a batch's members with
/// the batch), so a duplicate or an email already sent or failed is never sent again. Every step can be repeated after a kill: the
/// row says what already happened, and the send's idempotency key makes a repeated send a replay, while the provider
/// remembers it (an email pending longer, see <see cref="UnansweredSend"/>, goes to <c>failed/</c>). The writes every
/// email makes go through the <see cref="RelayJournal"/>'s group commit; the rare ones through <see cref="OutboundEmailStore"/>.
/// Whether the database answered is noted in the caller's <see cref="DatabaseContact"/> at the first question each way
/// through a file asks it (is the email known, its pick-up, an invalid file's record): every later one follows it.
/// </summary>
public sealed partial class OutboxFileProcessor(
    ClaimArea claims,
    FileFailureCounts failures,
    RelayJournal journal,
    OutboundEmailStore store,
    RelayMetrics metrics,
    ResendChannel resend,
    ResendBatcher batcher,
    AgentMailChannel agentMail,
    ServiceTelemetry telemetry,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<OutboxFileProcessor> logger)
{
    private readonly RelayOptions _options = options.Value;

    /// <summary>
    /// Handles <paramref name="name"/>, noting in <paramref name="contact"/> whether the database answered; returns when
    /// it should be looked at again, or null when it is done with (or gone).
    /// </summary>
    public async Task<DateTimeOffset?> ProcessAsync(string name, DatabaseContact contact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var pending = Path.Combine(claims.Folders.Pending, name);
        var writtenAt = new DateTimeOffset(File.GetLastWriteTimeUtc(pending), TimeSpan.Zero);
        if (!claims.TryClaim(name))
        {
            return null;
        }

        var now = time.GetUtcNow();
        ParsedFile? parsed = null;
        try
        {
            // By its length first, and unread when too long: read whole, a file of any size would take its size several
            // times over in one worker, and one large enough to have the relay killed would be taken again after each
            // restart, its failures counted in memory.
            var (content, length) = await OutboxFileSize.ReadAsync(claims.Claimed(name), _options.MaxBodyBytes, cancellationToken);
            parsed = content is null
                ? new ParsedFile.Invalid(OutboxFileSize.TooLarge(length, _options.MaxBodyBytes), null, null)
                : OutboxFileParser.Parse(name, content, _options.MaxBodyBytes);
            var next = await HandleAsync(name, parsed, writtenAt, now, contact, cancellationToken);
            failures.Forget(name);
            return next;
        }
        catch (Exception e) when (!MachineFailure.Is(e))
        {
            // Nobody foresaw it (a bug, a library's exception of another kind, a disk error on this file): an attempt
            // of this file, so that a fault that keeps coming back ends in failed/ instead of being retried for good.
            return await CountFailureAsync(name, parsed as ParsedFile.Valid, writtenAt, e, contact, cancellationToken);
        }
    }

    private async Task<DateTimeOffset?> HandleAsync(string name, ParsedFile parsed, DateTimeOffset writtenAt, DateTimeOffset now, DatabaseContact contact, CancellationToken cancellationToken)
    {
        switch (parsed)
        {
            case ParsedFile.NotJson when now - writtenAt < _options.SettleTime:
                // A careless writer may still be writing it: look again once it has been quiet for a while.
                claims.Release(name);
                return now + _options.SettleTime;
            case ParsedFile.NotJson notJson:
                metrics.RecordPickup(writtenAt, now);
                await FailAsync(name, notJson.Problem, null, null, RelayMetrics.Invalid, contact, cancellationToken);
                return null;
            case ParsedFile.Invalid invalid:
                metrics.RecordPickup(writtenAt, now);
                await FailAsync(name, invalid.Problem, invalid.EmailId, invalid.OrderId, RelayMetrics.Invalid, contact, cancellationToken);
                return null;
            case ParsedFile.Valid valid:
                return await SendAsync(name, valid, writtenAt, now, contact, cancellationToken);
            default:
                throw new InvalidOperationException("Unknown parse result.");
        }
    }

    // The pick-up latency is sampled once an email, at the claim that finds it with no row yet: a Resend email at its
    // look-up, any other when its pick-up creates the row. A file given back (not yet due, a pause, a retry) keeps its
    // write time, so a sample at each claim counted an email retried 8 times 8 times, and a held one its whole wait.
    private async Task<DateTimeOffset?> SendAsync(
        string name, ParsedFile.Valid file, DateTimeOffset writtenAt, DateTimeOffset claimedAt, DatabaseContact contact, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(file.Email);

        // The sending continues the trace of whoever wrote the file (its traceparent), so the provider's call, its
        // webhooks and the events published here belong to the order's trace.
        using var activity = telemetry.ActivitySource.StartActivity("outbox send", ActivityKind.Internal, TraceParents.Parse(file.Email.TraceParent))
            .SetOrder(file.Email.OrderRef, file.Email.OrderId)?
            .SetTag("ordersmail.email.id", file.EmailId.ToString())
            .SetTag("ordersmail.email.kind", file.Email.Kind);
        var messageId = channel.InternetMessageIdFor(file.EmailId);
        if (channel == resend && !await contact.AskAsync(journal.IsKnownAsync(file.EmailId, cancellationToken)))
        {
            metrics.RecordPickup(writtenAt, claimedAt);
            var result = await batcher.SendNewAsync(name, file, messageId!, cancellationToken);
            if (result is BatchResult.SendAlone alone)
            {
                // Its row first, then the send: an email whose acceptance could not be recorded (a kill, a database
                // outage) is then sent again on its own under the same key (a replay), never as a batch member under
                // the batch's key, which Resend would send a second time (the chaos scenario caught one).
                using (alone.Slot)
                {
                    return await ContinueAsync(name, file, writtenAt, channel, await journal.PickUpAsync(name, file, channel.Provider, messageId, cancellationToken), cancellationToken);
                }
            }

            return await SentInBatchAsync(name, file, writtenAt, result, cancellationToken);
        }

        // An agent reply, or an email seen before: its row first, then the send. A reply sent with no row, its relay
        // killed before the row was written, came back new; and after a day down went out again under a key AgentMail
        // had forgotten, where the row's pick-up time would have sent it to failed/ (UnansweredSend).
        var record = await contact.AskAsync(journal.PickUpAsync(name, file, channel.Provider, messageId, cancellationToken));
        if (record.IsNew)
        {
            metrics.RecordPickup(writtenAt, claimedAt);
        }

        return await ContinueAsync(name, file, writtenAt, channel, record, cancellationToken);
    }

    // An email with a row: what the row says happened decides. A member of a Resend batch that may have gone out is
    // only ever sent again as that batch, under its key; any other pending email is sent on its own.
    private async Task<DateTimeOffset?> ContinueAsync(
        string name, ParsedFile.Valid file, DateTimeOffset writtenAt, IEmailChannel channel, EmailRecord record, CancellationToken cancellationToken, bool batchJustSent = false)
    {
        if (record.FileName != name)
        {
            MoveDuplicateToSent(name, file.EmailId, record.FileName);
            return null;
        }

        if (record.SendState != "pending")
        {
            return Settled(name, file, record);
        }

        if (record.NextAttemptAt is { } due && due > time.GetUtcNow().UtcDateTime)
        {
            claims.Release(name);
            return new DateTimeOffset(due, TimeSpan.Zero);
        }

        if (UnansweredSend.IsPastWindow(record, time.GetUtcNow(), _options.IdempotencyWindow))
        {
            return await FailUnansweredAsync(name, file, channel, record, cancellationToken);
        }

        if (record.BatchId is { } batchId)
        {
            // Just sent and still a member without a later retry time: the batch's outcome could not be recorded, or
            // another relay's send of it is still running (Resend answered 409); later.
            if (batchJustSent)
            {
                claims.Release(name);
                return time.GetUtcNow() + _options.RetryBaseDelay;
            }

            return await SentInBatchAsync(name, file, writtenAt, await batcher.ResendAsync(batchId, file.EmailId, cancellationToken), cancellationToken);
        }

        // Its window's start when this send is its only one since: a new email's pick-up, or the start recorded now for
        // an email none of whose sends could have been accepted. A hold of this send then leaves the email unsent.
        var onlySendSince = record.IsNew ? record.QueuedAt : record.Unsent ? await store.RecordSendingAsync(file.EmailId, cancellationToken) : null;
        var outcome = await channel.SendAsync(file.EmailId, file.Email, cancellationToken);
        return await RecordAsync(name, file, writtenAt, channel.Provider, outcome, record.Attempts + 1, onlySendSince, cancellationToken);
    }

    // An email sent or failed for good: its file goes where its row says, and is never sent again.
    private DateTimeOffset? Settled(string name, ParsedFile.Valid file, EmailRecord record)
    {
        if (record.SendState == "sent")
        {
            claims.MoveToSent(name);
        }
        else
        {
            MoveEmailToFailed(name, file, ChannelFor(file.Email).Provider, new FileProblem("(provider)", "the provider must accept the email", record.LastError ?? "failed"));
        }

        return null;
    }

    // Sent again, under its key or its batch's, the provider might take it as new: ops decide from the provider's log.
    private async Task<DateTimeOffset?> FailUnansweredAsync(string name, ParsedFile.Valid file, IEmailChannel channel, EmailRecord record, CancellationToken cancellationToken)
    {
        var problem = UnansweredSend.Problem(record, _options.IdempotencyWindow);
        var (row, recorded) = await store.RecordUnansweredAsync(file.EmailId, file.Email.OrderId, name, problem.Reason, cancellationToken);
        if (!recorded)
        {
            return Settled(name, file, row);
        }

        LogUnanswered(logger, name, UnansweredSend.Since(record));
        metrics.RecordFailed(RelayMetrics.ChannelOf(channel.Provider), file.Email.Kind, RelayMetrics.Unanswered);
        claims.MoveToFailed(name, problem, time.GetUtcNow(), file.EmailId, file.Email.OrderId);
        return null;
    }

    private async Task<DateTimeOffset?> SentInBatchAsync(string name, ParsedFile.Valid file, DateTimeOffset writtenAt, BatchResult result, CancellationToken cancellationToken)
    {
        if (result is BatchResult.Accepted accepted)
        {
            if (accepted.Recorded)
            {
                metrics.RecordSent(EmailProvider.Resend, file.Email.Kind, writtenAt, accepted.AcceptedAt);
            }

            claims.MoveToSent(name);
            return null;
        }

        var record = await journal.PickUpAsync(name, file, EmailProvider.Resend, resend.InternetMessageIdFor(file.EmailId), cancellationToken);
        return await ContinueAsync(name, file, writtenAt, resend, record, cancellationToken, batchJustSent: true);
    }

    // Counted in the email's row, as a transient answer is, when the file is an email whose row exists or can be
    // created; otherwise in memory. Past MaxAttempts the file goes to failed/ with what was thrown.
    private async Task<DateTimeOffset?> CountFailureAsync(string name, ParsedFile.Valid? file, DateTimeOffset writtenAt, Exception failure, DatabaseContact contact, CancellationToken cancellationToken)
    {
        if (!File.Exists(claims.Claimed(name)))
        {
            // It had moved on (to sent/, failed/ or back to email/) before the failure.
            return null;
        }

        // A message may quote what the file holds, NUL and all: stored as the row's last error, it must be NUL-free.
        var error = NulFreeText.Of($"the relay failed on it: {failure.GetType().FullName}: {failure.Message}")!;
        LogFailure(logger, failure, name);
        if (file is not null && await TryPickUpAsync(name, file, contact, cancellationToken) is { } record)
        {
            failures.Forget(name);
            if (record.FileName != name)
            {
                MoveDuplicateToSent(name, file.EmailId, record.FileName);
                return null;
            }

            var channel = ChannelFor(file.Email);
            return record.SendState != "pending"
                ? Settled(name, file, record)
                : await RecordAsync(name, file, writtenAt, channel.Provider, new SendOutcome.Transient(error), record.Attempts + 1, null, cancellationToken);
        }

        var attempt = failures.Add(name);
        if (attempt < _options.MaxAttempts)
        {
            claims.Release(name);
            return time.GetUtcNow() + RelayBackoff.Delay(_options, attempt);
        }

        failures.Forget(name);
        await FailAsync(name, new FileProblem("(file)", $"the relay must handle the file within {_options.MaxAttempts} attempts", error), file?.EmailId, file?.Email.OrderId, RelayMetrics.GaveUp, contact, cancellationToken);
        return null;
    }

    // The email's row, created if need be; null when the pick-up fails for this file's sake too.
    private async Task<EmailRecord?> TryPickUpAsync(string name, ParsedFile.Valid file, DatabaseContact contact, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(file.Email);
        try
        {
            return await contact.AskAsync(journal.PickUpAsync(name, file, channel.Provider, channel.InternetMessageIdFor(file.EmailId), cancellationToken));
        }
        catch (Exception e) when (!MachineFailure.Is(e))
        {
            return null;
        }
    }

    private void MoveDuplicateToSent(string name, Guid emailId, string firstFile)
    {
        LogDuplicate(logger, name, emailId, firstFile);
        claims.MoveToSent(name);
    }

    private async Task<DateTimeOffset?> RecordAsync(
        string name, ParsedFile.Valid file, DateTimeOffset writtenAt, EmailProvider provider, SendOutcome outcome, int attempt, DateTime? onlySendSince, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case SendOutcome.Accepted accepted:
                var acceptedAt = time.GetUtcNow();
                if (await journal.RecordSentAsync(file.EmailId, file.Email.OrderId, provider, accepted, cancellationToken))
                {
                    // Counted once recorded: a send repeated after a kill is a replay of this one, not another email.
                    metrics.RecordSent(provider, file.Email.Kind, writtenAt, acceptedAt);
                }

                claims.MoveToSent(name);
                return null;
            case SendOutcome.Refused refused:
                await store.RecordRefusedAsync(file.EmailId, file.Email.OrderId, name, refused.Error, cancellationToken);
                metrics.RecordFailed(RelayMetrics.ChannelOf(provider), file.Email.Kind, RelayMetrics.Refused);
                MoveEmailToFailed(name, file, provider, new FileProblem("(provider)", "the provider must accept the email", refused.Error));
                return null;
            case SendOutcome.Deferred deferred:
                var (waiting, deferredNow) = await store.RecordDeferredAsync(file.EmailId, deferred, onlySendSince, cancellationToken);
                if (!deferredNow)
                {
                    return Settled(name, file, waiting);
                }

                LogDeferred(logger, name, deferred.RetryAt);
                claims.Release(name);
                return deferred.RetryAt;
            case SendOutcome.Transient transient:
                var retryAt = time.GetUtcNow() + RelayBackoff.Delay(_options, attempt);
                var (row, recorded) = await store.RecordTransientAsync(
                    file.EmailId, file.Email.OrderId, name, transient.Error, retryAt, _options.MaxAttempts, transient.Outage ? _options.OutagePatience : null, cancellationToken);
                if (!recorded)
                {
                    // Another file or relay had the email accepted or failed meanwhile: this late answer changes nothing.
                    return Settled(name, file, row);
                }

                if (row.SendState == "failed")
                {
                    metrics.RecordFailed(RelayMetrics.ChannelOf(provider), file.Email.Kind, RelayMetrics.GaveUp);
                    MoveEmailToFailed(name, file, provider, new FileProblem("(provider)", GaveUpRule, row.LastError ?? transient.Error));
                    return null;
                }

                LogTransientOf(name, provider, row, transient.Error);
                claims.Release(name);
                return retryAt;
            default:
                throw new InvalidOperationException("Unknown send outcome.");
        }
    }

    private string GaveUpRule =>
        $"the provider must accept the email within {_options.MaxAttempts} attempts, and within {_options.OutagePatience:c} of its pick-up while it is unavailable";

    // Each attempt it could spend at Warning; once an outage keeps it past its last, that once, then each retry at Debug.
    private void LogTransientOf(string name, EmailProvider provider, EmailRecord row, string error)
    {
        if (!OutageWait.Spares(row, _options.MaxAttempts))
        {
            LogTransient(logger, name, row.Attempts, error);
        }
        else if (OutageWait.Begins(row, _options.MaxAttempts))
        {
            LogOutageWait(logger, name, provider, row.Attempts, error, _options.RetryMaxDelay, OutageWait.Until(row, _options.OutagePatience));
        }
        else
        {
            LogOutageRetry(logger, name, provider, row.Attempts, error);
        }
    }

    // An email the provider refused, gave up on, or whose row says one of those happened (a batch's last attempt, a
    // relay killed before the move): the metric alone would leave ops nothing naming it. Logged and marked on the span
    // current, its outbox send span, so the line carries the order's trace id and the trace shows the email failed.
    private void MoveEmailToFailed(string name, ParsedFile.Valid file, EmailProvider provider, FileProblem problem)
    {
        var reason = $"{problem.Rule}: {problem.Reason}";
        LogEmailFailed(logger, name, file.EmailId, file.Email.OrderRef, file.Email.OrderId, RelayMetrics.ChannelOf(provider), reason);
        Activity.Current?.SetStatus(ActivityStatusCode.Error, reason);
        claims.MoveToFailed(name, problem, time.GetUtcNow(), file.EmailId, file.Email.OrderId);
    }

    // A file that never became a sendable email: RelayMetrics.Invalid, or RelayMetrics.GaveUp when the relay failed on it too often.
    private async Task FailAsync(string name, FileProblem problem, Guid? emailId, Guid? orderId, string outcome, DatabaseContact contact, CancellationToken cancellationToken)
    {
        LogInvalid(logger, name, problem.Reason);
        await contact.AskAsync(store.RecordInvalidAsync(name, problem, emailId, orderId, cancellationToken));
        metrics.RecordFailed(RelayMetrics.NoChannel, RelayMetrics.UnknownKind, outcome);
        claims.MoveToFailed(name, problem, time.GetUtcNow(), emailId, orderId);
    }

    // A reply from a customer's inbox must go out from that inbox, in the customer's thread; the rest is ours to send.
    private IEmailChannel ChannelFor(OutboxEmail email) => email.Kind == OutboxEmailKinds.AgentReply ? agentMail : resend;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName} cannot be sent and goes to failed/: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName} goes to failed/: email {EmailId} of order {OrderRef} ({OrderId}) through {Channel}; {Reason}")]
    private static partial void LogEmailFailed(ILogger logger, string fileName, Guid emailId, string? orderRef, Guid? orderId, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName}: attempt {Attempts} failed transiently ({Error}); it stays pending")]
    private static partial void LogTransient(ILogger logger, string fileName, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName}: {Channel} is unavailable at its last attempt, {Attempts} ({Error}); it stays pending, sent again up to {RetryMaxDelay} apart while the outage lasts, and fails only if a send fails after {GivesUpAt:u}")]
    private static partial void LogOutageWait(ILogger logger, string fileName, EmailProvider channel, int attempts, string error, TimeSpan retryMaxDelay, DateTime givesUpAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox file {FileName}: {Channel} is still unavailable at attempt {Attempts} ({Error}); it waits the outage out")]
    private static partial void LogOutageRetry(ILogger logger, string fileName, EmailProvider channel, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName}: its send, begun about {PickedUpAt:u}, has no recorded answer and the provider no longer remembers its key; it goes to failed/ for ops to check the provider's log")]
    private static partial void LogUnanswered(ILogger logger, string fileName, DateTime pickedUpAt);

    // A pause, Resend's quota's or a provider's for the account, is logged at Error once, by ResendQuota or ProviderPause;
    // a line per email would be a flood.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox file {FileName} waits out the provider's pause (a quota, or a refusal for the account) until {RetryAt}; no attempt counted")]
    private static partial void LogDeferred(ILogger logger, string fileName, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox file {FileName}: the relay failed on it; counted as one of its attempts")]
    private static partial void LogFailure(ILogger logger, Exception exception, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox file {FileName} repeats email {EmailId}, first picked up from {FirstFile}: moved to sent/ without sending")]
    private static partial void LogDuplicate(ILogger logger, string fileName, Guid emailId, string firstFile);
}

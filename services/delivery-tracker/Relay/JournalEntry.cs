using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>One write waiting in <see cref="RelayJournal"/> for the next commit, and the caller waiting for its answer.</summary>
internal abstract class JournalEntry
{
    /// <summary>The email it is about.</summary>
    public abstract Guid EmailId { get; }

    /// <summary>Tells the caller the write did not commit.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>An email picked up from a file: its row, unless one exists, with <c>OutboundEmailQueued</c>.</summary>
internal sealed class PickUpEntry(string fileName, ParsedFile.Valid file, EmailProvider provider, string? internetMessageId, OutboxEntry queued) : JournalEntry
{
    public string FileName { get; } = fileName;

    public ParsedFile.Valid File { get; } = file;

    public EmailProvider Provider { get; } = provider;

    public string? InternetMessageId { get; } = internetMessageId;

    /// <summary>The event, prepared under the caller's trace; written only when the row is new.</summary>
    public OutboxEntry Queued { get; } = queued;

    /// <summary>The email's row once committed.</summary>
    public TaskCompletionSource<EmailRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The email's row as this batch wrote or read it, for a Resend batch's membership committed in the same transaction.</summary>
    public EmailRecord? Record { get; set; }

    public override Guid EmailId => File.EmailId;

    public override void Fail(Exception error) => Done.TrySetException(error);
}

/// <summary>A provider's acceptance: the row moves from pending to sent, with <c>OutboundEmailSent</c>.</summary>
internal sealed class SentEntry(Guid emailId, EmailProvider provider, SendOutcome.Accepted accepted, DateTimeOffset sentAt, OutboxEntry sent) : JournalEntry
{
    public EmailProvider Provider { get; } = provider;

    public SendOutcome.Accepted Accepted { get; } = accepted;

    public DateTimeOffset SentAt { get; } = sentAt;

    /// <summary>The event, prepared under the caller's trace; written only when the row was still pending.</summary>
    public OutboxEntry Sent { get; } = sent;

    /// <summary>True once committed if the row was still pending (false: another file or relay recorded it first).</summary>
    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the write moved the row to sent, as the last transaction that wrote it found; its answer once committed.</summary>
    public bool Recorded { get; set; }

    public override Guid EmailId { get; } = emailId;

    public override void Fail(Exception error) => Done.TrySetException(error);
}

/// <summary>Whether an email has a row yet: read in the next batch's transaction and answered at once, without waiting for its commit.</summary>
internal sealed class LookUpEntry(Guid emailId) : JournalEntry
{
    /// <summary>True when the email has a row (picked up before, by this relay or another).</summary>
    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Guid EmailId { get; } = emailId;

    public override void Fail(Exception error) => Done.TrySetException(error);
}

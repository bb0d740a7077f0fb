using System.Diagnostics;
using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>A new email waiting in <see cref="ResendBatcher"/> for its batch, and the worker waiting for what came of it.</summary>
internal sealed class BatchMember(PickUpEntry pickUp, ResendEmail email, Activity? trace)
{
    /// <summary>Its pick-up, committed with the batch's membership.</summary>
    public PickUpEntry PickUp { get; } = pickUp;

    /// <summary>The email as the batch carries it.</summary>
    public ResendEmail Email { get; } = email;

    /// <summary>The file's trace, which its events continue.</summary>
    public Activity? Trace { get; } = trace;

    /// <summary>What came of it.</summary>
    public TaskCompletionSource<BatchResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What came of one email of a batch, for the worker holding its file.</summary>
public abstract record BatchResult
{
    /// <summary>Resend accepted it; <paramref name="Recorded"/> is false when another relay or file recorded it first.</summary>
    public sealed record Accepted(SendOutcome.Accepted Outcome, bool Recorded, DateTimeOffset AcceptedAt) : BatchResult;

    /// <summary>Not sent by this batch (no answer yet, refused, or the email had a row already): its row says what next.</summary>
    public sealed record LookAgain : BatchResult;

    /// <summary>
    /// Alone, while Resend's rate leaves room: sent on its own, as a single send under its own key, its row committed
    /// first as a batch's membership would be, without the batcher's window. It holds the batcher's send slot until
    /// disposed, once the send is answered.
    /// </summary>
    public sealed record SendAlone(IDisposable Slot) : BatchResult;
}

/// <summary>What came of one send of a batch.</summary>
internal abstract record BatchOutcome
{
    /// <summary>The result for one member.</summary>
    public abstract BatchResult For(Guid emailId);

    /// <summary>Resend's ids, and the members whose acceptance this send recorded.</summary>
    public sealed record Accepted(IReadOnlyDictionary<Guid, SendOutcome.Accepted> Ids, IReadOnlySet<Guid> Recorded, DateTimeOffset AcceptedAt) : BatchOutcome
    {
        public override BatchResult For(Guid emailId) => new BatchResult.Accepted(Ids[emailId], Recorded.Contains(emailId), AcceptedAt);
    }

    /// <summary>Not sent (no definitive answer, recorded as an attempt; or refused, its members released to go alone).</summary>
    public sealed record NotSent : BatchOutcome
    {
        public override BatchResult For(Guid emailId) => new BatchResult.LookAgain();
    }
}

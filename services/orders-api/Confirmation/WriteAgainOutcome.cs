namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>What asking to write a given-up confirmation again came to.</summary>
public abstract record WriteAgainOutcome
{
    /// <summary>The claim was given up: it is back in the sweeper's hands, with its attempts anew.</summary>
    /// <param name="Claim">The claim put back.</param>
    public sealed record PutBack(ConfirmationPutBack Claim) : WriteAgainOutcome;

    /// <summary>The confirmation's file is in the outbox already.</summary>
    /// <param name="WrittenAt">When it was recorded written.</param>
    public sealed record Written(DateTime WrittenAt) : WriteAgainOutcome;

    /// <summary>The claim is not given up: its writer or the sweeper is still at it.</summary>
    /// <param name="Attempts">The sweeper's attempts spent on it so far.</param>
    public sealed record BeingTried(int Attempts) : WriteAgainOutcome;

    /// <summary>The order exists but nothing claimed its confirmation yet (its inbox's outcome, or the wait for it, is still to come).</summary>
    public sealed record NotClaimed : WriteAgainOutcome;

    /// <summary>No such order.</summary>
    public sealed record NoOrder : WriteAgainOutcome;
}

/// <summary>A given-up confirmation put back in the sweeper's hands: it is written at its next sweep, under the email id it always had.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderRef">The order's reference, as the customer knows it.</param>
/// <param name="EmailId">The confirmation's email id (a UUIDv5 of the order id), the one the relay sends once.</param>
/// <param name="ReplyTo">The Reply-To it was claimed with.</param>
public sealed record ConfirmationPutBack(Guid OrderId, string OrderRef, Guid EmailId, string ReplyTo);

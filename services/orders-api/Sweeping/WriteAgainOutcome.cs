namespace OrdersMail.OrdersApi.Sweeping;

/// <summary>What asking to write a given-up claim again came to (<see cref="UnwrittenClaims.PutBackAsync{TClaim}"/>).</summary>
/// <typeparam name="TClaim">What the feature tells of a claim put back.</typeparam>
public abstract record WriteAgainOutcome<TClaim>
{
    /// <summary>The claim was given up: it is back in the sweeper's hands, with its attempts anew.</summary>
    /// <param name="Claim">The claim put back.</param>
    public sealed record PutBack(TClaim Claim) : WriteAgainOutcome<TClaim>;

    /// <summary>The claim's file is in the outbox already.</summary>
    /// <param name="WrittenAt">When it was recorded written.</param>
    public sealed record Written(DateTime WrittenAt) : WriteAgainOutcome<TClaim>;

    /// <summary>The claim is not given up: its writer or the sweeper is still at it.</summary>
    /// <param name="Attempts">The sweeper's attempts spent on it so far.</param>
    public sealed record BeingTried(int Attempts) : WriteAgainOutcome<TClaim>;

    /// <summary>The order exists but holds no such claim.</summary>
    public sealed record NotClaimed : WriteAgainOutcome<TClaim>;

    /// <summary>No such order.</summary>
    public sealed record NoOrder : WriteAgainOutcome<TClaim>;
}

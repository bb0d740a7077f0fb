using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.FailedMail;

/// <summary>What asking to send a failed email again came to.</summary>
public abstract record SendAgainOutcome
{
    /// <summary>A copy of the email is in <c>email/</c>, as a new email the relay sends like any other.</summary>
    /// <param name="Copy">What was written.</param>
    public sealed record Written(SentAgain Copy) : SendAgainOutcome;

    /// <summary>The name is not one a file in <c>failed/</c> can have (a path, not <c>*.json</c>, a reason file).</summary>
    public sealed record NotAFileName : SendAgainOutcome;

    /// <summary>No such file in <c>failed/</c>.</summary>
    public sealed record NotFound : SendAgainOutcome;

    /// <summary>The file still breaks the format: it must be corrected in place first.</summary>
    /// <param name="Problem">What is wrong with it.</param>
    public sealed record StillInvalid(FileProblem Problem) : SendAgainOutcome;

    /// <summary>Nothing to send again: a copy exists already, or the email did not fail after all.</summary>
    /// <param name="Conflict">Which, and where to look.</param>
    public sealed record Refused(SendAgainConflict Conflict) : SendAgainOutcome;
}

/// <summary>A failed email written to the outbox again.</summary>
/// <param name="EmailId">The copy's id (<c>email_id</c> in its file), derived from the failed one's.</param>
/// <param name="SentAgainOf">The failed email's id (<c>sent_again_of</c> in the copy's file).</param>
/// <param name="File">The copy's file name in <c>email/</c>.</param>
public sealed record SentAgain(Guid EmailId, Guid SentAgainOf, string File);

/// <summary>Why a failed file is not sent again.</summary>
/// <param name="EmailId">The email the file holds.</param>
/// <param name="Reason">Why, in words ops can act on.</param>
/// <param name="CopyId">The copy already made, if that is the reason.</param>
/// <param name="CopyState">The copy's state: <c>written</c> (waiting in <c>email/</c>), <c>processing</c> (claimed by a relay, in <c>processing/</c>, not recorded yet), <c>pending</c>, <c>sent</c> or <c>failed</c>.</param>
/// <param name="CopyFile">The copy's file name.</param>
public sealed record SendAgainConflict(Guid EmailId, string Reason, Guid? CopyId = null, string? CopyState = null, string? CopyFile = null);

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// A bounce as the provider classes it: Amazon SES's type and sub-type, which Resend (<c>bounce.type</c>,
/// <c>bounce.subType</c>) and AgentMail (<c>bounce.type</c>, <c>bounce.sub_type</c>) pass on (docs/resend.md §5,
/// docs/agentmail.md §4).
/// </summary>
/// <param name="Type"><c>Permanent</c>, <c>Transient</c> or <c>Undetermined</c>.</param>
/// <param name="SubType">Why, in SES's words (<c>MailboxFull</c>, <c>General</c>...), when given.</param>
public sealed record BounceKind(string Type, string? SubType)
{
    /// <summary>
    /// Whether the address may take the email later (a full mailbox, a message too large, a receiver that said "not
    /// now"): anything but <c>Permanent</c>. Such an email is to be sent again, not given up like one to an address that
    /// does not exist. Case aside, so that a permanent bounce is never read as soft for its spelling.
    /// </summary>
    public bool IsSoft => !string.Equals(Type, "Permanent", StringComparison.OrdinalIgnoreCase);

    /// <summary>What ops read in the email's reason file in <c>failed/</c>, and what to do about it.</summary>
    public string SendAgainReason(string? detail) =>
        $"soft bounce ({string.Join(", ", new[] { Type, SubType }.OfType<string>())}): send again once the mailbox takes mail"
        + (detail is { Length: > 0 } ? $"; the provider said: {detail}" : string.Empty);

    /// <summary>The bounce a provider's fields name; null without a type, which says nothing of whether it is final.</summary>
    public static BounceKind? Of(string? type, string? subType) => type is { Length: > 0 } ? new BounceKind(type, subType is { Length: > 0 } ? subType : null) : null;
}

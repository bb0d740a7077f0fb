namespace OrdersMail.InboundRouter.Routing;

/// <summary>What giving a set-aside row back came to (<see cref="SetAsideEmails.RetryAsync"/>).</summary>
/// <param name="GivenBack">It is routing's again, or its delivery fact handed to the bus.</param>
/// <param name="StillUnreadable">Why an event the ingress could not read still cannot be read: it stays set aside.</param>
public sealed record SetAsideRetry(bool GivenBack, string? StillUnreadable)
{
    /// <summary>Given back.</summary>
    public static readonly SetAsideRetry Back = new(true, null);

    /// <summary>Nothing is set aside under that svix-id.</summary>
    public static readonly SetAsideRetry NotSetAside = new(false, null);

    /// <summary>Still set aside, because of <paramref name="reason"/>.</summary>
    public static SetAsideRetry Unreadable(string reason) => new(false, reason);
}

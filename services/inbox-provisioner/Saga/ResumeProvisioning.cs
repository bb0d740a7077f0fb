using MassTransit;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>A saga has been in its step longer than allowed: ask its step again, or fail it when it has been asked enough.</summary>
/// <param name="OrderId">The stuck saga.</param>
/// <param name="StuckSince">When it last moved.</param>
/// <param name="Resumes">
/// The resumes the saga had counted when found stuck, so it counts this one once; null from a build before it, in a
/// rolling upgrade.
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:ResumeProvisioning")]
public sealed record ResumeProvisioning(Guid OrderId, DateTimeOffset StuckSince, int? Resumes = null);

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>What one pass of a look for an inbox's missed mail came to (<see cref="MissedMail.RecoverAsync"/>).</summary>
/// <param name="Recorded">The messages it recorded for routing.</param>
/// <param name="ResumeAfter">
/// When it stopped at <see cref="Routing.RoutingOptions.MissedMailPages"/> with more to list: what the next pass lists
/// after; null when it listed everything.
/// </param>
public sealed record MissedMailPass(int Recorded, DateTimeOffset? ResumeAfter);

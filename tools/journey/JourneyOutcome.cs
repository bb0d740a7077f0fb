namespace OrdersMail.Journey;

/// <summary>What a completed journey leaves behind for a person (or a test) to look at.</summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="OrderRef">Its human reference.</param>
/// <param name="UserId">The Clerk user who placed it (its owner).</param>
/// <param name="Inbox">The customer's inbox address.</param>
/// <param name="TraceId">The trace the order's placement started (the journey chose it).</param>
/// <param name="CustomerMessageId">The Message-ID of the customer's email.</param>
/// <param name="ReplyMessageId">The Message-ID of the agent's reply, in the customer's thread.</param>
/// <param name="Steps">Every step, in order.</param>
public sealed record JourneyOutcome(
    Guid OrderId,
    string OrderRef,
    string UserId,
    string Inbox,
    string TraceId,
    string CustomerMessageId,
    string ReplyMessageId,
    IReadOnlyList<JourneyStep> Steps);

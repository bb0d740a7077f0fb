namespace OrdersMail.Load.Scenarios;

/// <summary>How big the inbound storm is.</summary>
/// <param name="Messages">Customer emails delivered through the sandbox, spread over the order storm's customers' inboxes.</param>
/// <param name="Concurrency">Emails handed to the sandbox at once.</param>
/// <param name="DuplicateRate">The share of <c>message.received</c> events the sandbox delivers twice (same <c>svix-id</c>).</param>
/// <param name="ReorderWindowMs">How long the sandbox holds events before releasing them shuffled.</param>
/// <param name="IngressEvents">Signed deliveries per ingress phase (router and bare endpoint, closed-loop and paced).</param>
/// <param name="IngressConcurrency">Deliveries in flight in the closed-loop phases.</param>
/// <param name="IngressRate">Deliveries per second in the paced phases.</param>
/// <param name="IngressQuietTimeout">How long the ingress phases wait for the machine to go quiet after the storm (zero: they do not wait).</param>
/// <param name="Timeout">How long every email may take to be answered and its reply sent.</param>
/// <param name="OwnStorm">The order storm run first when no order storm ran before it in this run.</param>
public sealed record InboundStormSettings(
    int Messages, int Concurrency, double DuplicateRate, int ReorderWindowMs, int IngressEvents, int IngressConcurrency, int IngressRate, TimeSpan IngressQuietTimeout, TimeSpan Timeout, OrderStormSettings OwnStorm)
{
    /// <summary>
    /// People's size: 2,000 emails; 5,000 deliveries per ingress phase, 64 in flight, as the README's <c>ingress</c> benchmark.
    /// Run alone, its own order storm gives 400 customers inboxes, so no inbox gets more emails than the agent answers one
    /// sender on one order a day (5).
    /// </summary>
    public static readonly InboundStormSettings Full = new(
        2000, 16, 0.1, 200, 5000, 64, 1000, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), OrderStormSettings.Small with { Orders = 400, Customers = 400, Concurrency = 16 });

    /// <summary>
    /// CI's size: 80 emails (so that at 10 % some are duplicated but in one run in 5,000), 400 deliveries per ingress
    /// phase, without waiting for a quiet machine (CI runs test projects side by side, and checks only the invariants).
    /// </summary>
    public static readonly InboundStormSettings Small = new(80, 8, 0.1, 200, 400, 16, 1000, TimeSpan.Zero, TimeSpan.FromMinutes(3), OrderStormSettings.Small);
}

/// <summary>One customer email the inbound storm had the sandbox deliver.</summary>
/// <param name="InboxId">The inbox it was delivered to.</param>
/// <param name="MessageId">AgentMail's Message-ID for it, angle brackets included.</param>
/// <param name="UserId">The customer who wrote it, the inbox's owner.</param>
public sealed record InboundEmail(string InboxId, string MessageId, string UserId);

namespace OrdersMail.InboundRouter.Routing;

/// <summary>Routing's settings: section <c>InboundRouter:Routing</c> (<c>ORDERSMAIL_InboundRouter__Routing__...</c>).</summary>
public sealed class RoutingOptions
{
    /// <summary>The section's name under the service's own.</summary>
    public const string Section = "InboundRouter:Routing";

    /// <summary>Most received emails one routing transaction decides and records (one commit, one lookup per table for all).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Batches routed at once: while one commits, the next one decides.</summary>
    public int Batches { get; set; } = 2;

    /// <summary>
    /// How often the pump looks for unrouted emails without being woken: those a crash or another replica left, or
    /// whose claim expired. The ingress wakes it after every commit of its own.
    /// </summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed batch is another pump's to leave alone: longer than routing a batch ever takes.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts at routing an email before it is parked (with the reason) for ops to re-route.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>
    /// How long after an email arrived an AgentMail outage (no answer, a transient status through the client's retries,
    /// the circuit open) does not count its failed attempts towards <see cref="MaxAttempts"/>: an outage of a few minutes
    /// must not park every email that needed AgentMail for a person to re-route. Past it, such attempts count again, so
    /// an email whose every read times out on its own is still parked in the end.
    /// </summary>
    public TimeSpan OutagePatience { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait after a failed attempt, doubling with each attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <see cref="ScanInterval"/>, <see cref="RetryBaseDelay"/> and <see cref="MissedMailRetryDelay"/>, each
    /// waited by a timer: past a timer's reach (about 49.7 days, a plain number binding as days) the wait threw and
    /// stopped the router.
    /// </summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an inbox's <c>metadata.order_ref</c> read from AgentMail is reused without asking again, unless the bus
    /// says sooner that the inbox's order changed (<c>InboxReady</c>).
    /// </summary>
    public TimeSpan OrderRefCacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How much later than an email was received (its <c>created_at</c>, AgentMail's clock) an order may have been placed
    /// (orders-api's clock, <c>OrderCreated.PlacedAt</c>) and still be taken as placed before it: mail the customer sends
    /// seconds after ordering goes to that order even when the two clocks disagree by this much. Mail that names none of
    /// our messages goes to the customer's newest order placed by its receipt plus this, not to one they placed after
    /// writing it. Half an hour, not seconds: it was raised when the receipt was the sender's own Date, and mail without
    /// a <c>created_at</c> is still taken at that; mail routed late (recovered after a webhook outage, parked for days) is
    /// late by far more.
    /// </summary>
    public TimeSpan OrderClockSkew { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How far back the router looks for mail an inbox received while no webhook fed it, when the inbox's webhook is
    /// replaced: past the 5 days after which Svix disables an endpoint that keeps failing, and within the time routing
    /// decisions are kept (<c>Retention:KeepFor</c>, 7 days), so mail routed before is known and not routed again.
    /// </summary>
    public TimeSpan MissedMailWindow { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Pages of 100 messages one look for missed mail reads at most.</summary>
    public int MissedMailPages { get; set; } = 20;

    /// <summary>The wait before a look for missed mail that AgentMail could not answer is tried again; doubled each time, up to 30 minutes.</summary>
    public TimeSpan MissedMailRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a parked message, or a row set aside, that nobody routed again, gave back or dismissed is kept before
    /// the retention sweep deletes it: longer than the retention period of what is done with (<c>Retention:KeepFor</c>,
    /// 7 days), because it is a customer's email or AgentMail's event nobody has dealt with yet, and a person may look at
    /// the lists only weekly or come back from a holiday. Not for good: unauthenticated mail is parked whatever it names,
    /// and mail the router cannot read is set aside, so anyone could otherwise grow them without end. AgentMail keeps
    /// the message in its inbox after the router's copy is gone.
    /// </summary>
    public TimeSpan UnattendedKeepFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Whether the values make sense together.</summary>
    internal bool IsValid =>
        BatchSize > 0 && Batches > 0 && ScanInterval > TimeSpan.Zero && ClaimLease > TimeSpan.Zero && MaxAttempts > 0 && OutagePatience >= TimeSpan.Zero
        && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay && OrderRefCacheFor >= TimeSpan.Zero
        && OrderClockSkew >= TimeSpan.Zero && MissedMailWindow > TimeSpan.Zero && MissedMailPages > 0 && MissedMailRetryDelay > TimeSpan.Zero && UnattendedKeepFor > TimeSpan.Zero;
}

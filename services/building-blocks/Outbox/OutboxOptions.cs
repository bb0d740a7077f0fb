namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// How the outbox relay paces itself: section <c>{service section}:Outbox</c>, so each service has its own
/// (orders-api's is <c>OrdersApi:Outbox</c>, <c>ORDERSMAIL_OrdersApi__Outbox__BatchSize</c>...).
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>The section's name under the service's own section.</summary>
    public const string Section = "Outbox";

    /// <summary>Rows claimed at once; they are published together and stamped together.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How often the relay looks for rows without being signalled: rows committed by another replica
    /// (whose signal only wakes its own relay), or left pending by a relay that stopped.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may wait for the broker's confirm; with the broker down a publish would otherwise wait for it forever.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a claimed batch is the relay's alone. A relay that dies holding a claim (killed, its host gone) leaves its
    /// rows to the next relay once this has run out; it must outlast a batch's publishes (<see cref="PublishTimeout"/>)
    /// and stamp, or a slow batch would be claimed and published again by another relay.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The first pause after a failed publish; each next failure doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between two attempts while the broker (or the database) is failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest <see cref="PollInterval"/>, <see cref="PublishTimeout"/> and <see cref="MaxBackoff"/>, each waited by a
    /// timer: past a timer's reach (about 49.7 days, a plain number binding as days) the poll's and the backoff's waits
    /// threw and stopped the host, and the publish's failed every batch.
    /// </summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>
    /// Attempts after which a row that fails through its own fault is set aside as a dead letter, so it stops taking
    /// the relay's time and a batch's place. A broker outage is nobody's row's fault: it never dead-letters anything.
    /// </summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Whether the values make sense together.</summary>
    internal bool IsValid =>
        BatchSize > 0 && PollInterval > TimeSpan.Zero && PublishTimeout > TimeSpan.Zero && ClaimLease >= 2 * PublishTimeout && MinBackoff > TimeSpan.Zero && MaxBackoff >= MinBackoff && MaxAttempts > 0;
}

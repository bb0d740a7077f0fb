namespace OrdersMail.InboundRouter.Ingress;

/// <summary>The webhook ingress's settings: section <c>InboundRouter:Ingress</c> (<c>ORDERSMAIL_InboundRouter__Ingress__...</c>).</summary>
public sealed class IngressOptions
{
    /// <summary>The section's name under the service's own.</summary>
    public const string Section = "InboundRouter:Ingress";

    /// <summary>Largest body taken: AgentMail caps bodies at 1 MB (it leaves the text out above), plus a margin for the envelope.</summary>
    public int MaxBodyBytes { get; set; } = (1024 * 1024) + (64 * 1024);

    /// <summary>Most events one transaction records (group commit: concurrent requests share one insert and one commit).</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>Transactions in flight at once: while one commits, the next batch gathers.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>
    /// Most events waiting for a writer, each with its email (up to about 1 MB): beyond it an event is answered 503 at
    /// once instead of after <see cref="RecordTimeout"/>. An event whose request gave up keeps its place until a writer
    /// drops it, so while the database stalls the queue fills and memory stays bounded. Unset: four batches per writer
    /// (<see cref="MaxBatch"/> × <see cref="Writers"/> × 4, 2,048), far more than arrive during one commit.
    /// </summary>
    public int? MaxQueued { get; set; }

    /// <summary><see cref="MaxQueued"/>, or four batches per writer.</summary>
    internal int QueueCapacity => MaxQueued ?? (int)Math.Min(int.MaxValue, 4L * MaxBatch * Writers);

    /// <summary>
    /// How long a writer that gathered only a few events waits for more before it commits, while events arrive steadily
    /// (<see cref="CommitLingerPolicy"/>). At 1,000 events/s a commit took 2.3–2.7 events without it and 3.7–4.0 with 2 ms,
    /// a third fewer commits, and on two saturated cores the p99 fell (docs/benchmarks.md); the p50 rose by the wait. An
    /// event that arrives alone is never held back. Zero turns it off.
    /// </summary>
    public TimeSpan CommitLinger { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// The longest <see cref="RecordTimeout"/>, <see cref="CommitLinger"/> and <see cref="SecretLookupTimeout"/>: AgentMail
    /// (Svix) has given up on the request well before it.
    /// </summary>
    public static readonly TimeSpan LongestRecordTimeout = TimeSpan.FromMinutes(1);

    /// <summary>How long a request waits for its event to be durable before answering 503 (AgentMail retries it).</summary>
    public TimeSpan RecordTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long finding an inbox's secret may take, AgentMail's answer included, before the event is refused.</summary>
    public TimeSpan SecretLookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a known secret is used before it is read again from the database (another replica may have learnt a replacement).</summary>
    public TimeSpan SecretCacheFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an inbox AgentMail knew no webhook for is not asked about again, so forged events cannot flood AgentMail.</summary>
    public TimeSpan UnknownInboxRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Least time between two reads of one inbox's secret from AgentMail after a signature did not match (a rotation).</summary>
    public TimeSpan SecretRefreshEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often per second, at most, the router may ask AgentMail about an event it has not verified yet: which webhook
    /// feeds an inbox it does not know, or an inbox's secret again after a signature did not match. Anyone can send such
    /// events; beyond this they are refused (a retry is welcome) instead of passed on to AgentMail. Legitimate ones are
    /// rare: a webhook that fires before its InboxReady arrives, a webhook replaced by hand, a rotated secret.
    /// </summary>
    public int UnverifiedLookupsPerSecond { get; set; } = 20;

    /// <summary>Whether the values make sense together.</summary>
    internal bool IsValid =>
        MaxBodyBytes > 0 && MaxBatch > 0 && Writers > 0 && (MaxQueued is null or > 0) && CommitLinger >= TimeSpan.Zero && CommitLinger < RecordTimeout && RecordTimeout > TimeSpan.Zero && SecretLookupTimeout > TimeSpan.Zero
        && SecretCacheFor > TimeSpan.Zero && UnknownInboxRetryAfter >= TimeSpan.Zero && SecretRefreshEvery >= TimeSpan.Zero
        && UnverifiedLookupsPerSecond > 0;
}

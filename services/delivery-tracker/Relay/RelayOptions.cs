namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// How the outbox relay works: section <c>DeliveryTracker:Relay</c> (<c>ORDERSMAIL_DeliveryTracker__Relay__Workers</c>...).
/// The outbox directory itself is <c>MailOutbox:Directory</c>, shared with the writers.
/// </summary>
public sealed class RelayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DeliveryTracker:Relay";

    /// <summary>
    /// Files handled at once (each holds at most one send in flight). Enough for full batches: a batch holds only
    /// what workers hand in.
    /// </summary>
    public int Workers { get; set; } = 256;

    /// <summary>The most emails one Resend batch carries (Resend takes up to 100).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long the first email of a Resend batch waits for others. Short: a lone confirmation must not wait, and
    /// under load the batch grows anyway while <see cref="BatchesInFlight"/> batches are out.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// The longest <see cref="BatchWindow"/>: every email may wait it. Past a timer's reach (about 49.7 days, a plain
    /// number binding as days) the window's timer threw and stopped the relay's host.
    /// </summary>
    public static readonly TimeSpan LongestBatchWindow = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Resend batches sent at once; the next one gathers what arrives meanwhile. One: at Resend's rate limit a second
    /// batch sealed early only waits for the client's next token (holding its files) and, sent right behind the first,
    /// meets a 429 whenever the two arrive closer than the limit allows.
    /// </summary>
    public int BatchesInFlight { get; set; } = 1;

    /// <summary>Transactions the relay's journal runs at once; each commits whatever pick-ups and acceptances wait.</summary>
    public int JournalWriters { get; set; } = 2;

    /// <summary>The most pick-ups and acceptances one journal transaction commits together.</summary>
    public int JournalBatchSize { get; set; } = 128;

    /// <summary>
    /// The sender of mail sent through Resend, bare or as <c>Name &lt;address&gt;</c>, on a domain verified with Resend.
    /// Required, with no default: one assumed would have Resend refuse every email for its domain.
    /// </summary>
    public string From { get; set; } = "";

    /// <summary>
    /// The value of the <see cref="RelayTag"/> on every Resend send, and the only one the Resend ingress takes as this
    /// deployment's: deployments sharing one Resend account (staging and production, two regions) each receive the
    /// others' events, and with one value would each keep all of them as their own, for the retention period.
    /// </summary>
    public string SenderTag { get; set; } = RelayTag.DefaultValue;

    /// <summary>The domain of the Message-IDs the relay gives Resend sends: <c>&lt;{email id}@{domain}&gt;</c>.</summary>
    public string MessageIdDomain { get; set; } = "ordersmail.local";

    /// <summary>The safety net: how often <c>email/</c> is listed in full, for files whose notification was missed.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a relay that stopped renewing its claim area keeps the files in it before another takes them back.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <see cref="ScanInterval"/> and <see cref="ClaimLease"/>.</summary>
    public static readonly TimeSpan LongestScan = TimeSpan.FromHours(1);

    /// <summary>A file that is not valid JSON yet was written to less than this long ago is taken for one still being written, and retried.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sends of one email before it fails for good on transient errors; one whose provider is unavailable keeps its last
    /// while it is younger than <see cref="OutagePatience"/>.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How long after its pick-up (or its first send after it was held back unsent, as <see cref="IdempotencyWindow"/>)
    /// a provider's outage (no answer, a transient status through the client's retries, the circuit open) does not spend
    /// an email's last attempt: an outage of a few minutes must not fail every email waiting on it, for ops to send each
    /// again by hand. Meanwhile it is sent again, its backoff levelling off at <see cref="RetryMaxDelay"/>, and each send
    /// still counts; past it, the next failed send fails it with the provider's answer, so an email whose every send
    /// times out on its own still ends in <c>failed/</c>. Shorter than <see cref="IdempotencyWindow"/>, so such an email
    /// is only ever sent again under a key the provider remembers.
    /// </summary>
    public TimeSpan OutagePatience { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The delay after the first transient failure; it doubles with each further one, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between two sends of one email.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after its pick-up (or its first send after it was held back unsent, <see cref="UnansweredSend"/>) a
    /// pending email may still be sent again under its <c>Idempotency-Key</c>. Both
    /// providers forget a key 24 h after its send: past this, a send whose answer was lost would go out a second time
    /// under the forgotten key, so the email goes to <c>failed/</c> for ops to check the provider's log instead.
    /// </summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(23);

    /// <summary>
    /// The longest <see cref="IdempotencyWindow"/>: the providers' 24 h less an hour for the clocks of the relay, its
    /// database and the provider.
    /// </summary>
    public static readonly TimeSpan LongestIdempotencyWindow = TimeSpan.FromHours(23);

    /// <summary>
    /// How long a send in flight when the host stops may still take to be answered and recorded. Cancelled, its answer
    /// is lost: the email is sent again under its key by the next relay, which is a replay only while the request is
    /// the same, and a new version may build it otherwise (a header added), which the provider refuses as another
    /// payload under the key. No new file is taken meanwhile.
    /// </summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest <see cref="StopGrace"/>: the host gives all its services 30 s to stop, and the batcher and the journal
    /// stop after the relay.
    /// </summary>
    public static readonly TimeSpan LongestStopGrace = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a provider's sends wait unsent after it refused one for the account rather than the email (a key
    /// missing, revoked or suspended, a permission, a sending domain: <see cref="AccountRefusals"/>); the first send
    /// after it asks again. Short: a key put right should not leave the mail waiting long, and a refusal costs the
    /// provider one request a pause.
    /// </summary>
    public TimeSpan AccountPause { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The shortest <see cref="AccountPause"/>: shorter, every worker would ask the provider again at once.</summary>
    public static readonly TimeSpan ShortestAccountPause = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="AccountPause"/>, as for Resend's quota: a key put right waits at most this for the mail to go.</summary>
    public static readonly TimeSpan LongestAccountPause = TimeSpan.FromDays(1);

    /// <summary>The largest body the providers take (Resend: 40 MB per email, encoded).</summary>
    public int MaxBodyBytes { get; set; } = 40 * 1024 * 1024;

    /// <summary>True when every setting is usable.</summary>
    public bool IsValid =>
        Workers > 0 && BatchSize is > 0 and <= 100 && BatchWindow >= TimeSpan.Zero && BatchesInFlight > 0 && JournalWriters > 0 && JournalBatchSize > 0 && ScanInterval > TimeSpan.Zero && ClaimLease > TimeSpan.Zero && SettleTime >= TimeSpan.Zero
        && IdempotencyWindow > TimeSpan.Zero && OutagePatience >= TimeSpan.Zero && StopGrace >= TimeSpan.Zero && MaxAttempts > 0 && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay && MaxBodyBytes > 0
        && !string.IsNullOrWhiteSpace(MessageIdDomain);
}

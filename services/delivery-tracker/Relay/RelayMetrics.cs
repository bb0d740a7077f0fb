using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The mail outbox relay's instruments on the service's meter (exported with the rest of its telemetry): how many
/// files wait, how many went out or failed by channel and kind, how fast a file is claimed and how fast its email is
/// accepted. "Appeared" is the file's last write: a well-behaved writer renames it into <c>email/</c> right after.
/// </summary>
public sealed class RelayMetrics
{
    /// <summary>Files in <c>email/</c> as the relay's last scan saw them (a gauge; refreshed every scan interval).</summary>
    public const string Pending = "ordersmail.relay.pending";

    /// <summary>Claim folders of dead relays the relay's last scan could not take back (a gauge; <see cref="StuckCorners"/>).</summary>
    public const string StuckClaims = "ordersmail.relay.stuck_claims";

    /// <summary>
    /// Files in <c>email/</c> the relay leaves alone until a retry time (a transient failure's backoff, a quota pause,
    /// an unfinished file's settle time), as its last scan saw them (a gauge).
    /// </summary>
    public const string HeldBack = "ordersmail.relay.held_back";

    /// <summary>1 while the relay's database is away and it claims no file but its probes (<see cref="DatabaseOutage"/>), else 0 (a gauge).</summary>
    public const string DatabaseAway = "ordersmail.relay.database_away";

    /// <summary>Emails the provider accepted, by <c>channel</c> and <c>kind</c>.</summary>
    public const string Sent = "ordersmail.relay.sent";

    /// <summary>Files that went to <c>failed/</c>, by <c>channel</c>, <c>kind</c> and <c>reason</c> (invalid, refused, gave_up, unanswered, provider_failed).</summary>
    public const string Failed = "ordersmail.relay.failed";

    /// <summary>
    /// Milliseconds from a file appearing to the claim that picked it up: one sample an email, at the claim that found
    /// it with no row yet, and one a file failed as invalid; a file given back and claimed again adds none.
    /// </summary>
    public const string PickupLatency = "ordersmail.relay.pickup_latency";

    /// <summary>Milliseconds from a file appearing to the provider accepting its email (retries included), by <c>channel</c>.</summary>
    public const string AcceptLatency = "ordersmail.relay.accept_latency";

    /// <summary>The <c>channel</c> of a file that never reached one (invalid).</summary>
    public const string NoChannel = "none";

    /// <summary>The <c>kind</c> of a file that could not be read as an email.</summary>
    public const string UnknownKind = "unknown";

    /// <summary>The <c>reason</c> of a file that breaks the format.</summary>
    public const string Invalid = "invalid";

    /// <summary>The <c>reason</c> of an email the provider refused for good.</summary>
    public const string Refused = "refused";

    /// <summary>The <c>reason</c> of an email still failing transiently after the last attempt.</summary>
    public const string GaveUp = "gave_up";

    /// <summary>The <c>reason</c> of an email whose send went unanswered for longer than the provider keeps its key (<see cref="UnansweredSend"/>).</summary>
    public const string Unanswered = "unanswered";

    /// <summary>
    /// The <c>reason</c> of an email the provider accepted and reported failed later, its file moved from <c>sent/</c>
    /// (<see cref="FailedMail.ProviderFailedFiles"/>).
    /// </summary>
    public const string ProviderFailed = "provider_failed";

    // Kinds come from whoever writes a file: anything but OrdersMail's own is one tag value, so writers cannot grow the series.
    private static readonly HashSet<string> KnownKinds = [OutboxEmailKinds.OrderConfirmation, OutboxEmailKinds.AgentReply];

    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _pickupLatency;
    private readonly Histogram<double> _acceptLatency;
    private long _pending;
    private long _stuckClaims;
    private long _heldBack;
    private long _databaseAway;

    /// <summary>Creates the instruments on <see cref="ServiceTelemetry.Meter"/>.</summary>
    public RelayMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var meter = telemetry.Meter;
        meter.CreateObservableGauge(Pending, () => Volatile.Read(ref _pending), "{file}", "Files waiting in the mail outbox's email/ folder at the relay's last scan.");
        meter.CreateObservableGauge(StuckClaims, () => Volatile.Read(ref _stuckClaims), "{folder}", "Claim folders of dead relays the relay's last scan could not take back.");
        meter.CreateObservableGauge(HeldBack, () => Volatile.Read(ref _heldBack), "{file}", "Files in the mail outbox's email/ folder the relay leaves until a retry time, at its last scan.");
        meter.CreateObservableGauge(DatabaseAway, () => Volatile.Read(ref _databaseAway), "{outage}", "1 while the relay's database is away and the relay claims no outbox file but its probes.");
        _sent = meter.CreateCounter<long>(Sent, "{email}", "Outbox emails the provider accepted.");
        _failed = meter.CreateCounter<long>(Failed, "{email}", "Outbox files moved to failed/.");
        _pickupLatency = meter.CreateLatencyHistogram(PickupLatency, "Time from an outbox file appearing to the relay picking its email up, once an email.");
        _acceptLatency = meter.CreateLatencyHistogram(AcceptLatency, "Time from an outbox file appearing to the provider accepting its email.");
    }

    /// <summary>The <c>kind</c> tag of an email.</summary>
    public static string KindOf(string? kind) => kind switch
    {
        null => "email",
        UnknownKind => UnknownKind,
        _ when KnownKinds.Contains(kind) => kind,
        _ => "other",
    };

    /// <summary>The <c>channel</c> tag of a provider.</summary>
    public static string ChannelOf(EmailProvider provider) => OutboundEmailStore.ProviderName(provider);

    /// <summary>Remembers how many files the scan found waiting.</summary>
    public void RecordPending(long files) => Volatile.Write(ref _pending, files);

    /// <summary>Remembers how many dead relays' claim folders the scan could not take back.</summary>
    public void RecordStuckClaims(long folders) => Volatile.Write(ref _stuckClaims, folders);

    /// <summary>Remembers how many files the relay holds back until a retry time.</summary>
    public void RecordHeldBack(long files) => Volatile.Write(ref _heldBack, files);

    /// <summary>Remembers whether the relay's database is away.</summary>
    public void RecordDatabaseAway(bool away) => Volatile.Write(ref _databaseAway, away ? 1 : 0);

    /// <summary>Records the pick-up, claimed at <paramref name="claimedAt"/>, of a file that appeared at <paramref name="appearedAt"/>.</summary>
    public void RecordPickup(DateTimeOffset appearedAt, DateTimeOffset claimedAt) => _pickupLatency.Record(Milliseconds(appearedAt, claimedAt));

    /// <summary>Counts an accepted email and how long it took since its file appeared.</summary>
    public void RecordSent(EmailProvider provider, string? kind, DateTimeOffset appearedAt, DateTimeOffset acceptedAt)
    {
        var channel = new KeyValuePair<string, object?>("channel", ChannelOf(provider));
        _sent.Add(1, channel, new("kind", KindOf(kind)));
        _acceptLatency.Record(Milliseconds(appearedAt, acceptedAt), channel);
    }

    /// <summary>Counts a file moved to <c>failed/</c>.</summary>
    public void RecordFailed(string channel, string? kind, string reason) =>
        _failed.Add(1, new("channel", channel), new("kind", KindOf(kind)), new("reason", reason));

    private static double Milliseconds(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalMilliseconds);
}

namespace OrdersMail.InboxProvisioner;

/// <summary>The saga's limits and the webhook it subscribes: section <c>InboxProvisioner:Provisioning</c>.</summary>
public sealed class ProvisioningOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "InboxProvisioner:Provisioning";

    /// <summary>
    /// The inbound-router's public URL, where AgentMail posts the inbox's events. Required, with no default: every inbox
    /// is subscribed to it, and one assumed (the local router's) would have AgentMail post every customer's mail nowhere.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// The events the flow needs: mail received (and mail received from a sender AgentMail could not authenticate, and
    /// mail its filter took for spam, which it sends only to webhooks that ask for them, and which the router parks for a
    /// person), and what becomes of the agent's replies sent from the inbox. The webhook must be stored with exactly
    /// these: a webhook stored without one (subscribed by an older build) is patched by the reconcile step and the watch.
    /// </summary>
    public IReadOnlyList<string> EventTypes { get; set; } =
    [
        "message.received", "message.received.unauthenticated", "message.received.spam",
        "message.sent", "message.delivered", "message.bounced", "message.complained", "message.rejected",
    ];

    /// <summary>
    /// The sender name of every customer's inbox (AgentMail shows <c>Display Name &lt;address&gt;</c> on the agent's
    /// answers): the shop's, never the customer's, whose own name on the shop's answers made them look like the customer's
    /// own mail. An inbox named otherwise (created by an older build with the customer's name) is renamed at the
    /// customer's next order. Not blank, no longer than <see cref="LongestInboxDisplayName"/>, without control characters
    /// (a CR or LF would break the From header) or spaces at either end (which AgentMail may not keep, renaming the inbox
    /// at every order).
    /// </summary>
    public string InboxDisplayName { get; set; } = "Orders";

    /// <summary>The longest <see cref="InboxDisplayName"/>: a sender name, not a sentence; a longer one folds the From header.</summary>
    public const int LongestInboxDisplayName = 64;

    /// <summary>Whether <see cref="InboxDisplayName"/> is a name a From header can carry as it is.</summary>
    public bool InboxDisplayNameIsValid() =>
        !string.IsNullOrWhiteSpace(InboxDisplayName)
        && InboxDisplayName.Length <= LongestInboxDisplayName
        && InboxDisplayName == InboxDisplayName.Trim()
        && !InboxDisplayName.Any(char.IsControl);

    /// <summary>Read-backs of a webhook before giving up; the last one deletes what is still wrong instead of repairing it.</summary>
    public int MaxReconcileAttempts { get; set; } = 3;

    /// <summary>Usernames tried when the wanted one is taken.</summary>
    public int MaxUsernameAttempts { get; set; } = 4;

    /// <summary>How long a saga may sit in one step before the sweeper asks that step again.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a step's command may wait in its queue, no step consumer having taken it, before the sweeper asks the
    /// step again: the patience for a backlog (a burst of orders, the step consumers down for a while, AgentMail slow),
    /// and the bound on a command lost before any consumer saw it. At least <see cref="StepTimeout"/>.
    /// </summary>
    public TimeSpan StepQueueTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Times a stuck step is asked again before the saga fails.</summary>
    public int MaxResumes { get; set; } = 3;

    /// <summary>How often the sweeper looks for stuck sagas (and refreshes the per-state gauge).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Times a step AgentMail was unavailable for (through the client's own retries) is asked again soon, before it is
    /// left to the sweeper's <see cref="StepTimeout"/>; 0 leaves every such step to the sweeper.
    /// </summary>
    public int StepRetries { get; set; } = 3;

    /// <summary>
    /// The wait before the first of those retries; each next one waits <see cref="StepRetryGrowth"/> times longer
    /// (2 s, 8 s, 32 s), each jittered by up to <see cref="StepRetryJitter"/> either way.
    /// </summary>
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the provisioner looks for steps whose retry is due: the most a retry starts late.</summary>
    public TimeSpan StepRetryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the sweeper and the step retries wait for the broker to take each resume or retry they publish. One not
    /// taken in time (the broker away, or blocking publishers on a memory or disk alarm) fails the look; its saga, claimed
    /// already, is due again later and the next look tries again, so a broker that never answers cannot hold every later
    /// look (and the per-state gauge, counted at each sweep) back. At most <see cref="LongestPublishTimeout"/>.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest <see cref="PublishTimeout"/>: a claimed step retry is due again after a minute anyway.</summary>
    public static readonly TimeSpan LongestPublishTimeout = TimeSpan.FromMinutes(1);

    /// <summary>How much longer each step retry waits than the one before.</summary>
    public const int StepRetryGrowth = 4;

    /// <summary>The share of a step retry's wait it may start earlier or later, so sagas refused together do not all come back together.</summary>
    public const double StepRetryJitter = 0.2;

    /// <summary>The wait before step retry <paramref name="retry"/> (1 for the first), before jitter.</summary>
    public TimeSpan StepRetryDelayBefore(int retry) => StepRetryDelay * Math.Pow(StepRetryGrowth, retry - 1);

    /// <summary>
    /// Whether every step retry, jittered, is due before the sweeper would ask the step again anyway (the sweeper's
    /// clock starts at the same moment, when the saga records the deferral).
    /// </summary>
    public bool StepRetriesFitStepTimeout() =>
        StepRetries == 0 || StepRetryDelayBefore(StepRetries) * (1 + StepRetryJitter) < StepTimeout;

    /// <summary>
    /// Commands each step consumer handles at once: the AgentMail calls (and customer leases) a step endpoint has in
    /// flight, whatever the broker delivers. A step takes a pooled connection only for each short statement. 16: the
    /// inbox step makes three AgentMail calls in the common case (inbox, webhook, read-back), and at 8 a 1,000-order
    /// burst was held to 76-81 orders/s by the slots, not the cores (121 at 16, same machine and build).
    /// </summary>
    public int StepConcurrency { get; set; } = 16;

    /// <summary>
    /// Messages the saga handles at once, each a short transaction on a pooled connection of its own; more than the
    /// pool's connections wait for one there, which keeps the next messages delivered and ready as connections free.
    /// </summary>
    public int SagaConcurrency { get; set; } = 16;

    /// <summary>
    /// How long a step waits for its customer's lease (held by another step of that customer, perhaps one the sweeper
    /// asked again while the first was still calling AgentMail) before giving up; the message is then retried.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a customer's lease lasts unless renewed; its holder renews it three times per length while the step
    /// runs, however long AgentMail's retries take. It is also how long a killed holder keeps the customer from others.
    /// </summary>
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <see cref="LeaseLength"/>.</summary>
    public static readonly TimeSpan LongestLeaseLength = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest <see cref="WebhookWatchEvery"/>, <see cref="SweepInterval"/> and <see cref="StepRetryPollInterval"/>,
    /// each a timer's period: past a timer's reach (about 49.7 days, a plain number binding as days) the timer threw and
    /// stopped the provisioner.
    /// </summary>
    public static readonly TimeSpan LongestScan = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the webhook watch compares every customer's webhook with what it must be, between orders: the longest
    /// a webhook deleted, disabled or changed at AgentMail stays so (and the inbox's mail unrouted) before it is repaired.
    /// </summary>
    public TimeSpan WebhookWatchEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Customers one look of the watch examines closely at most (a read of their webhook, and a repair when it differs):
    /// the calls a look makes beyond its list pages, whatever AgentMail's state. The rest wait for the next look.
    /// </summary>
    public int WebhookWatchBudget { get; set; } = 100;
}

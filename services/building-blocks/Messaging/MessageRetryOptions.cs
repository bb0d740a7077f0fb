namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// The bounded, in-memory retries every consumer gets (section <c>Messaging:Retry</c>). A failure of the consumer's own
/// is retried briefly (<see cref="Limit"/>); the database being unable to take work (a restart, every connection busy:
/// <c>TransientDatabaseFailure</c>) is waited out for about ten minutes (<see cref="OutageLimit"/>), since a message
/// dead-lettered by a PostgreSQL outage is an order that stops until someone moves it back. The message is held
/// unacknowledged while it waits, and no connection is held between attempts. After the last attempt the message goes
/// to the endpoint's <c>_error</c> queue and a <c>Fault&lt;T&gt;</c> is published, where ops can see it.
/// </summary>
public sealed class MessageRetryOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Messaging:Retry";

    /// <summary>Retries after the first attempt.</summary>
    public int Limit { get; set; } = 5;

    /// <summary>The first retry's delay; each next one doubles, up to <see cref="MaxInterval"/>.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries while the database cannot take work. With the intervals below they wait about 10 minutes in all, at
    /// least 7.3 and at most 12.5 (<see cref="LongestOutageHold"/>; 14 waited about 4). The longest wait and the 27
    /// attempts, each up to the 30 s command timeout when a query is blocked every time, stay together under
    /// <see cref="BrokerConsumerTimeout"/> (about 26 min), so such a message still reaches <c>_error</c>.
    /// </summary>
    public int OutageLimit { get; set; } = 26;

    /// <summary>The first retry's delay in an outage (short: a deadlock or a busy pool often clears at once); each next one doubles.</summary>
    public TimeSpan OutageMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two attempts in an outage.</summary>
    public TimeSpan OutageMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most retries either limit may ask for.</summary>
    public const int MostRetries = 1000;

    /// <summary>The longest delay either may ask for: the message is held unacknowledged through it.</summary>
    public static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// How long RabbitMQ lets a consumer hold a delivery unacknowledged before it closes the channel and requeues the
    /// message: its <c>consumer_timeout</c>, 30 minutes by default (RabbitMQ 3.8.15 and later). Neither deploy/local's
    /// rabbitmq.conf nor deploy/docker-compose.yml changes it; each retry's <see cref="LongestHold"/> and
    /// <see cref="LongestOutageHold"/> must stay below it.
    /// </summary>
    public static readonly TimeSpan BrokerConsumerTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The longest the <see cref="Limit"/> retries can hold a message between its attempts (<see cref="RetryHold"/>).</summary>
    public TimeSpan LongestHold => RetryHold.Longest(Limit, MinInterval, MaxInterval);

    /// <summary>The longest the <see cref="OutageLimit"/> retries can hold a message between its attempts (<see cref="RetryHold"/>).</summary>
    public TimeSpan LongestOutageHold => RetryHold.Longest(OutageLimit, OutageMinInterval, OutageMaxInterval);

    /// <summary>
    /// True when every setting is one MassTransit's exponential retry can use. It does not refuse them itself: a limit of
    /// 0 or a negative interval leaves it no intervals, and the first retry then fails on an index out of range, the
    /// message dead-lettered at once with that exception instead of its own, and a negative minimum fails the start
    /// without naming the setting.
    /// </summary>
    public bool IsValid =>
        Limit is > 0 and <= MostRetries && OutageLimit is > 0 and <= MostRetries
        && Usable(MinInterval, MaxInterval) && Usable(OutageMinInterval, OutageMaxInterval);

    private static bool Usable(TimeSpan min, TimeSpan max) => min > TimeSpan.Zero && max >= min && max <= LongestInterval;
}

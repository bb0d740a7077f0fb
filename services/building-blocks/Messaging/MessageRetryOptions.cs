namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// The bounded, in-memory retry every consumer gets (section <c>Messaging:Retry</c>). The message is held
/// while it retries, so the whole budget stays short; after the last attempt the message goes to the
/// endpoint's <c>_error</c> queue and a <c>Fault&lt;T&gt;</c> is published, where ops can see it.
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
}

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Where the mail outbox directory is. Its own section, not <c>Outbox</c>: that one configures the bus events'
/// outbox table, a different thing with the same pattern.
/// </summary>
public sealed class MailOutboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MailOutbox";

    /// <summary>The directory holding <c>email/</c>, <c>sent/</c> and <c>failed/</c>; one shared volume in containers.</summary>
    public string Directory { get; set; } = Path.Combine(".data", "outbox");
}

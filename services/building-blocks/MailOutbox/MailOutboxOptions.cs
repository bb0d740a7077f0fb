using Microsoft.Extensions.Options;

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

/// <summary>
/// Refuses to start without an outbox directory: a blank <c>MailOutbox:Directory</c> failed the first email written,
/// or the relay's start, with an exception naming no setting.
/// </summary>
public sealed class MailOutboxOptionsValidator : IValidateOptions<MailOutboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MailOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Directory)
            ? ValidateOptionsResult.Fail($"{MailOutboxOptions.Section}:Directory must be set to the mail outbox directory, the same for its writers and the relay (default .data/outbox).")
            : ValidateOptionsResult.Success;
    }
}

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

    /// <summary>
    /// The directory holding <c>email/</c>, <c>sent/</c> and <c>failed/</c>, an absolute path; one shared volume in
    /// containers. No default: the one there was (<c>.data/outbox</c>) was relative.
    /// </summary>
    public string Directory { get; set; } = string.Empty;
}

/// <summary>
/// Refuses to start without an outbox directory, or with a relative one. Blank, <c>MailOutbox:Directory</c> failed the
/// first email written, or the relay's start, with an exception naming no setting; relative, it was resolved against
/// each process's working directory, so orders-api and the relay started from different folders used two outboxes and
/// no email was ever sent, with nothing said.
/// </summary>
public sealed class MailOutboxOptionsValidator : IValidateOptions<MailOutboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MailOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Fail($"{MailOutboxOptions.Section}:Directory must be set to the mail outbox directory, an absolute path, the same for its writers and the relay.");
        }

        return Path.IsPathFullyQualified(options.Directory)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MailOutboxOptions.Section}:Directory must be an absolute path, not '{options.Directory}': a relative one is taken from each process's working directory, so a writer and the relay started from different folders would use two outboxes.");
    }
}

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// The mail outbox could not take a file: its disk is full, read-only or gone, or its folders cannot be written. That
/// is the machine's failure, not the email's: a writer that retries a bounded number of times does not spend an attempt
/// on it, since the same email is written once the outbox is back.
/// </summary>
public sealed class MailOutboxUnavailableException : IOException
{
    /// <summary>The outbox under <paramref name="root"/> refused a file for the reason <paramref name="inner"/> gives.</summary>
    public MailOutboxUnavailableException(string root, Exception inner)
        : base($"The mail outbox '{root}' could not take the file: {inner?.Message}", inner)
    {
    }
}

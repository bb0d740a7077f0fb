namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>The mail outbox's folders, named as the format says (docs/architecture.md, "The outbox directory").</summary>
public sealed class MailOutboxFolders
{
    /// <summary>The folders under <paramref name="root"/> (absolute, as <see cref="MailOutboxOptionsValidator"/> makes the setting).</summary>
    public MailOutboxFolders(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The outbox directory itself.</summary>
    public string Root { get; }

    /// <summary>Pending files: what writers drop and the relay picks up.</summary>
    public string Pending => Path.Combine(Root, "email");

    /// <summary>
    /// Where each relay holds the files it took from <see cref="Pending"/> while it sends them, in a folder of its own
    /// (its corner); a file leaves it for <see cref="Sent"/> or <see cref="Failed"/>, or back to <see cref="Pending"/>.
    /// </summary>
    public string Processing => Path.Combine(Root, "processing");

    /// <summary>Files the provider accepted.</summary>
    public string Sent => Path.Combine(Root, "sent");

    /// <summary>Files that cannot be sent, each with <c>&lt;name&gt;.error.json</c> beside it.</summary>
    public string Failed => Path.Combine(Root, "failed");

    /// <summary>
    /// Where writers build a file before renaming it into <see cref="Pending"/>: inside the outbox, so on the
    /// same filesystem, which is what makes the rename atomic.
    /// </summary>
    public string Staging => Path.Combine(Root, ".staging");

    /// <summary>
    /// Creates the folders that do not exist yet, the outbox itself first, each for its owner only
    /// (<see cref="OwnerOnly"/>); one that exists keeps its mode.
    /// </summary>
    public void EnsureExist()
    {
        foreach (var folder in new[] { Root, Pending, Sent, Failed, Staging })
        {
            OwnerOnly.CreateDirectory(folder);
        }
    }
}

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Folders and files of the mail outbox, made for their owner only (0700, 0600) whatever the process's umask: they hold
/// customers' addresses and whole emails, kept for days (a failed one for good), and the usual umask (022) made them
/// readable by every account on the machine. A move keeps a file's mode, so a file created so stays so in every folder.
/// Windows has no such modes: there the folder's ACL decides.
/// </summary>
public static class OwnerOnly
{
    /// <summary>A folder its owner alone may list, enter and change (0700).</summary>
    public const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>A file its owner alone may read and write (0600).</summary>
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> as <see cref="FolderPermissions"/> unless it exists (an existing one keeps its mode).</summary>
    public static void CreateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderPermissions);
        }
    }

    /// <summary>
    /// Options that create (or truncate) a file for writing as <see cref="FilePermissions"/>; a file that exists already keeps
    /// its mode.
    /// </summary>
    public static FileStreamOptions Create(FileOptions options = FileOptions.None)
    {
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, Options = options };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = FilePermissions;
        }

        return create;
    }

    /// <summary><see cref="File.WriteAllBytes(string, byte[])"/>, creating the file as <see cref="FilePermissions"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(bytes);
        using var file = new FileStream(path, Create());
        file.Write(bytes);
    }
}

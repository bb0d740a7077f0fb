using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The relay's own corner of the outbox, <c>processing/&lt;relay id&gt;/</c>, and the moves between folders. A file is
/// claimed by one atomic rename from <c>email/</c> into it: of two relays, exactly one rename succeeds. The relay
/// writes <c>.lease</c> there while it lives, naming its process; a corner whose lease is older than
/// <see cref="RelayOptions.ClaimLease"/>, or whose process is provably gone (<see cref="HolderProcess.IsGone"/>), belongs
/// to a relay that died, and any relay moves its files back to <c>email/</c>. A file is in exactly one folder at every
/// instant, so no kill at any moment loses one.
/// </summary>
public sealed class ClaimArea
{
    private const string LeaseFile = ".lease";
    private readonly byte[] _lease;
    private readonly FailedFolder _failed;

    /// <summary>Creates a new corner for this relay under <paramref name="folders"/>.</summary>
    public ClaimArea(MailOutboxFolders folders)
        : this(folders, HolderProcess.Current)
    {
    }

    /// <summary>Creates a new corner under <paramref name="folders"/> for a relay running in <paramref name="process"/>.</summary>
    public ClaimArea(MailOutboxFolders folders, HolderProcess process)
        : this(folders, process, new FailedFolder(folders))
    {
    }

    /// <summary>
    /// Creates a new corner under <paramref name="folders"/> for a relay running in <paramref name="process"/>, moving
    /// files to <c>failed/</c> through <paramref name="failed"/>.
    /// </summary>
    public ClaimArea(MailOutboxFolders folders, HolderProcess process, FailedFolder failed)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(failed);
        _failed = failed;
        Folders = folders;
        Processing = folders.Processing;
        Mine = Path.Combine(Processing, $"{process.Host}-{process.Pid}-{Guid.NewGuid():N}");
        _lease = System.Text.Encoding.UTF8.GetBytes(process.ToLease());
    }

    /// <summary>The outbox's folders.</summary>
    public MailOutboxFolders Folders { get; }

    /// <summary>Where every relay has its corner.</summary>
    public string Processing { get; }

    /// <summary>This relay's corner.</summary>
    public string Mine { get; }

    /// <summary>Creates the folders and this relay's lease.</summary>
    public void Open()
    {
        Folders.EnsureExist();
        RenewLease();
    }

    /// <summary>
    /// Tells other relays this one is alive (creating the corner again, should one have mistaken it for dead). Returns
    /// the time the file system gave the lease: the clock the other relays' leases are stamped by too, where this
    /// machine's clock may not be (an outbox shared between machines).
    /// </summary>
    public DateTimeOffset RenewLease()
    {
        var lease = Path.Combine(Mine, LeaseFile);
        for (var attempt = 1; ; attempt++)
        {
            // processing/ by name, not left to be made as the corner's parent: every folder of the outbox is its owner's only.
            OwnerOnly.CreateDirectory(Processing);
            OwnerOnly.CreateDirectory(Mine);
            try
            {
                OwnerOnly.WriteAllBytes(lease, _lease);
                return File.GetLastWriteTimeUtc(lease);
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
                // A relay that took this one for dead removed the corner between the two: created again.
            }
        }
    }

    /// <summary>Takes <paramref name="name"/> from <c>email/</c>; false when it is gone (another relay, or a duplicate event, took it).</summary>
    public bool TryClaim(string name)
    {
        try
        {
            // rename(2): atomic, and only one of two relays renaming the same file finds it there.
            File.Move(Path.Combine(Folders.Pending, name), Claimed(name), overwrite: true);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The path of a file this relay holds.</summary>
    public string Claimed(string name) => Path.Combine(Mine, name);

    /// <summary>
    /// Gives the file back to <c>email/</c>, to be tried again later. A file of that name written there while this relay
    /// held its claim (a careless writer writing it again) is newer than the copy held: it stays, and the held copy goes.
    /// </summary>
    public void Release(string name)
    {
        var pending = Path.Combine(Folders.Pending, name);
        try
        {
            File.Move(Claimed(name), pending, overwrite: false);
        }
        catch (IOException) when (File.Exists(pending) && File.Exists(Claimed(name)))
        {
            File.Delete(Claimed(name));
        }
    }

    /// <summary>Moves the file to <c>sent/</c>.</summary>
    public void MoveToSent(string name) => File.Move(Claimed(name), Path.Combine(Folders.Sent, name), overwrite: true);

    /// <summary>
    /// Writes <c>&lt;name&gt;.error.json</c> (<see cref="FailureNote"/>) into <c>failed/</c>, then moves the file beside it
    /// (under a shorter name when the note's would be too long, <see cref="FailureNote.FailedNameFor"/>), both on disk
    /// when it returns (<see cref="FailedFolder"/>): a kill between the two leaves the file claimed, and it is failed
    /// again with the same reason once taken back.
    /// </summary>
    public void MoveToFailed(string name, FileProblem problem, DateTimeOffset at, Guid? emailId, Guid? orderId)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _failed.MoveIn(Claimed(name), FailureNote.FailedNameFor(name), new FailureNote(name, at, problem.Field, problem.Rule, problem.Reason, emailId, orderId));
    }

    /// <summary>
    /// Moves the files of every corner whose lease expired, or whose relay's process is gone, back to <c>email/</c>, and
    /// removes the corner; returns how many. A corner that cannot be taken back (a file that cannot be moved: a corner
    /// left by a relay that ran as another user, a name in <c>email/</c> taken by a folder) keeps what was not moved, is
    /// told to <paramref name="skipped"/> with why, and is tried again at the next scan; the other corners are taken back all the same.
    /// </summary>
    public int TakeBackAbandoned(DateTimeOffset now, TimeSpan lease, Action<string, Exception> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        var taken = 0;
        foreach (var corner in Directory.EnumerateDirectories(Processing))
        {
            try
            {
                taken += TakeBack(corner, now, lease);
            }
            catch (DirectoryNotFoundException)
            {
                // Another relay took this corner back at the same moment.
            }
            catch (Exception e)
            {
                skipped(corner, e);
            }
        }

        return taken;
    }

    private int TakeBack(string corner, DateTimeOffset now, TimeSpan lease)
    {
        if (corner == Mine || (now - LastSignOfLife(corner) < lease && !ProcessIsGone(corner)))
        {
            return 0;
        }

        var taken = 0;
        foreach (var file in Directory.EnumerateFiles(corner, "*.json"))
        {
            taken += TryMove(file, Path.Combine(Folders.Pending, Path.GetFileName(file))) ? 1 : 0;
        }

        // Only an empty corner is removed: a relay judged dead that was not (paused, or its clock apart from this one's)
        // may have claimed a file into it since the files were listed, which a recursive delete would lose. A corner that
        // is not empty now is left to the next scan.
        File.Delete(Path.Combine(corner, LeaseFile));
        try
        {
            Directory.Delete(corner);
        }
        catch (IOException) when (Directory.Exists(corner) && Directory.EnumerateFileSystemEntries(corner).Any())
        {
        }

        return taken;
    }

    // A lease that cannot be read (not written yet, being written, removed meanwhile) proves nothing.
    private static bool ProcessIsGone(string corner)
    {
        try
        {
            return HolderProcess.FromLease(File.ReadAllText(Path.Combine(corner, LeaseFile))) is { } process && process.IsGone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // A corner whose relay is starting has no lease yet (its directory is created first): its directory's own time
    // counts, or a relay scanning at that moment would take it for dead and delete it under the starting one.
    private static DateTime LastSignOfLife(string corner)
    {
        var lease = File.GetLastWriteTimeUtc(Path.Combine(corner, LeaseFile));
        var created = Directory.GetLastWriteTimeUtc(corner);
        return lease > created ? lease : created;
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}

using System.Text.Json;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Moves a file into <c>failed/</c> with its <see cref="FailureNote"/>, durably, the way <see cref="MailOutboxWriter"/>
/// writes: the note whole in <c>.staging/</c>, flushed, renamed in beside where the file goes; then the file renamed in;
/// then <c>failed/</c> and the folder the file left flushed (<see cref="DirectoryFlush"/>). Returned, both renames are on
/// disk: whoever records the move after it (<see cref="FailedMail.ProviderFailedFiles"/> clearing its mark) never
/// records one a power cut undoes, which would leave the file in <c>sent/</c>, unlisted, for the retention sweep to
/// delete, or a note in <c>failed/</c> with nothing in it. A note staged by a process that died before its rename is
/// removed with the rest of <c>.staging/</c> by the retention sweep.
/// </summary>
/// <param name="folders">The outbox's folders.</param>
/// <param name="flush">Flushes a directory's entries: <see cref="DirectoryFlush.Flush"/>, or a spec's observer that calls it.</param>
public sealed class FailedFolder(MailOutboxFolders folders, Action<string> flush)
{
    /// <summary>Moves files into <paramref name="folders"/>' <c>failed/</c>, flushing with <see cref="DirectoryFlush.Flush"/>.</summary>
    public FailedFolder(MailOutboxFolders folders)
        : this(folders, DirectoryFlush.Flush)
    {
    }

    /// <summary>
    /// Moves <paramref name="source"/> into <c>failed/</c> as <paramref name="failedName"/>, after writing
    /// <paramref name="note"/> beside it, and returns once both are on disk.
    /// </summary>
    /// <exception cref="FileNotFoundException"><paramref name="source"/> is gone (the note is written all the same).</exception>
    public void MoveIn(string source, string failedName, FailureNote note)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(failedName);
        ArgumentNullException.ThrowIfNull(note);
        WriteNote(failedName, note);
        File.Move(source, Path.Combine(folders.Failed, failedName), overwrite: true);
        Flush(Path.GetDirectoryName(source)!);
    }

    /// <summary>
    /// Flushes <c>failed/</c> and <paramref name="left"/>, the folder a file left for it: for a caller that found the
    /// file already moved by another process, which may not have flushed them yet.
    /// </summary>
    public void Flush(string left)
    {
        ArgumentException.ThrowIfNullOrEmpty(left);
        flush(folders.Failed);
        flush(left);
    }

    private void WriteNote(string failedName, FailureNote note)
    {
        OwnerOnly.CreateDirectory(folders.Staging);
        OwnerOnly.CreateDirectory(folders.Failed);
        var staged = Path.Combine(folders.Staging, $"{Guid.NewGuid():N}{FailureNote.NameFor(string.Empty)}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only, as the outbox's files are: a note holds the email's ids and the provider's answer.
            options.UnixCreateMode = OwnerOnly.FilePermissions;
        }

        using (var file = new FileStream(staged, options))
        {
            JsonSerializer.Serialize(file, note, FailureNote.Json);
            file.Flush(flushToDisk: true);
        }

        File.Move(staged, Path.Combine(folders.Failed, FailureNote.NameFor(failedName)), overwrite: true);
    }
}

using System.Runtime.InteropServices;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Makes the names in a directory durable: <c>fsync</c> on the directory itself. Flushing a file makes its bytes
/// durable, not the rename that put it under its final name; after a power cut a file renamed but not flushed through
/// its directory can be back under its old name, in a folder nobody reads (the same sequence maildir and PostgreSQL
/// use: write, fsync the file, rename, fsync the directory). .NET opens no handle on a directory, hence the system call.
/// </summary>
public static partial class DirectoryFlush
{
    // Read-only, not inherited by child processes: the same value on every Linux architecture and on macOS.
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk (on Windows, where NTFS journals them, nothing).</summary>
    /// <exception cref="IOException">The directory could not be opened or flushed; the message says which and why.</exception>
    public static void Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly | (OperatingSystem.IsLinux() ? CloseOnExec : 0));
        if (descriptor < 0)
        {
            throw new IOException($"Could not open directory '{directory}' to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush directory '{directory}': {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}

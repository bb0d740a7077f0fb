using System.Diagnostics;

namespace OrdersMail.Deploy.Tests;

/// <summary>Another process holding a script's flock on a file, as a script stopped (^Z) or hung while it held it would, until disposed.</summary>
public sealed class FileLockHolder : IDisposable
{
    private readonly Process _process;

    private FileLockHolder(Process process) => _process = process;

    /// <summary>Returns once the lock on <paramref name="lockFile"/> is held.</summary>
    public static async Task<FileLockHolder> HoldAsync(string lockFile)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec 8>>\"$0\" && flock 8 && echo held && exec sleep 600");
        start.ArgumentList.Add(lockFile);
        var holder = new FileLockHolder(Process.Start(start)!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("held", await holder._process.StandardOutput.ReadLineAsync(timeout.Token));
        return holder;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}

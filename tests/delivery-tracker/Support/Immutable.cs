using System.Diagnostics;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// A file or folder made immutable (<c>chattr +i</c>) until disposed: nothing can write the file, or move a file out of
/// the folder or into it, root included. The specs run as root, whom permissions do not stop; this stands for what the
/// relay may not change, such as a claim folder left by a relay that ran as another user. Changing the flag takes root
/// (<c>CAP_LINUX_IMMUTABLE</c>), as <c>tests/run.sh</c> runs.
/// </summary>
public sealed class Immutable : IDisposable
{
    private readonly string _path;

    /// <summary>Makes <paramref name="path"/> immutable.</summary>
    public Immutable(string path)
    {
        _path = path;
        Chattr("+i");
    }

    /// <inheritdoc />
    public void Dispose() => Chattr("-i");

    private void Chattr(string flag)
    {
        using var chattr = Process.Start("chattr", [flag, _path]);
        if (!chattr.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            chattr.Kill();
            throw new TimeoutException($"chattr {flag} {_path} did not finish within 10 s");
        }

        if (chattr.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {flag} {_path} exited with {chattr.ExitCode}");
        }
    }
}

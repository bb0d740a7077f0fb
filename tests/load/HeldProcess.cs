using System.Diagnostics;
using System.Globalization;

namespace OrdersMail.Load;

/// <summary>
/// A process frozen (SIGSTOP) until disposed (SIGCONT). The ingress benchmark holds orders-api this way to measure the
/// ingress alone: what orders-api would consume meanwhile waits in its queue, as it would for a consumer on other cores,
/// and is consumed once the process goes on. Disposing always lets it go on, whatever failed in between (Ctrl-C and
/// SIGTERM only stop the bare endpoint's host, so the phase still ends and disposes); a benchmark killed with SIGKILL
/// leaves it frozen: <c>kill -CONT</c> it.
/// </summary>
public sealed class HeldProcess : IDisposable
{
    private readonly int _pid;
    private bool _released;

    private HeldProcess(int pid) => _pid = pid;

    /// <summary>Freezes <paramref name="pid"/>.</summary>
    public static HeldProcess Hold(int pid)
    {
        Signal(pid, "-STOP");
        return new HeldProcess(pid);
    }

    /// <summary>Lets the process go on.</summary>
    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            Signal(_pid, "-CONT");
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        if (!kill.WaitForExit(TimeSpan.FromSeconds(10)) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} failed");
        }
    }
}

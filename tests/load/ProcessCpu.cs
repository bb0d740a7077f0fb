using System.Globalization;

namespace OrdersMail.Load;

/// <summary>
/// CPU time of the processes a benchmark loads, read from <c>/proc</c> (Linux only): a process is found by the TCP port it
/// listens on, so another engineer's PostgreSQL or RabbitMQ on the same machine is never counted. A process tree counts its
/// live children (PostgreSQL's backends) and the children it has reaped (<c>cutime</c>/<c>cstime</c>), so a backend that
/// exits during a run still counts.
/// </summary>
public sealed class ProcessCpu
{
    // USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    private readonly string _name;
    private readonly int? _pid;
    private readonly bool _withChildren;

    private ProcessCpu(string name, int? pid, bool withChildren)
    {
        _name = name;
        _pid = pid;
        _withChildren = withChildren;
    }

    /// <summary>What the figures call it.</summary>
    public string Name => _name;

    /// <summary>Whether the process was found.</summary>
    public bool Found => _pid is not null;

    /// <summary>Its process id, when found.</summary>
    public int? Pid => _pid;

    /// <summary>The process listening on <paramref name="port"/> (with its children when <paramref name="withChildren"/>).</summary>
    public static ProcessCpu ListeningOn(string name, int port, bool withChildren = false) => new(name, PidListeningOn(port), withChildren);

    /// <summary>
    /// The local run's trace viewer (the Aspire dashboard, by its OTLP port): not one of the system's processes, so no
    /// target counts it, but it takes every span the services export on the same cores, and at thousands of events a
    /// second it uses about as much CPU as the services, PostgreSQL and RabbitMQ together (docs/benchmarks.md, inbound-router).
    /// </summary>
    public static ProcessCpu TraceViewer() => ListeningOn(
        "trace viewer", int.Parse(Environment.GetEnvironmentVariable("ORDERSMAIL_TraceViewer__OtlpGrpcPort") ?? "18889", CultureInfo.InvariantCulture));

    /// <summary>This process: the load generator (and the bare endpoint it hosts, which runs in its own phases).</summary>
    public static ProcessCpu Self(string name) => new(name, Environment.ProcessId, withChildren: false);

    /// <summary>CPU seconds used so far (user + system); NaN when the process is gone or was never found.</summary>
    public double Seconds()
    {
        if (_pid is not { } pid || Stat(pid) is not { } own)
        {
            return double.NaN;
        }

        var ticks = own.Self + own.Reaped;
        if (_withChildren)
        {
            ticks += Children(pid).Sum(child => Stat(child)?.Self ?? 0);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds every core of the machine has spent busy so far (<c>/proc/stat</c>: user, nice, system, irq, softirq
    /// and steal), whoever used them; NaN off Linux. Set beside the measured processes' own, it says how much of the
    /// machine something else took during a phase.
    /// </summary>
    public static double MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return double.NaN;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is counted in user already.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / TicksPerSecond;
    }

    /// <summary>The 1-minute load average (<c>/proc/loadavg</c>).</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;

    // Fields after the ")" that ends the command name: state is 3, utime 14, stime 15, cutime 16, cstime 17 (proc(5)).
    private static (long Self, long Reaped, int Parent)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return (Field(14) + Field(15), Field(16) + Field(17), (int)Field(4));
    }

    private static IEnumerable<int> Children(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Stat(pid)?.Parent == parent);

    // /proc/net/tcp lists listening sockets (state 0A) by local port and inode; the process holding that inode owns it.
    private static int? PidListeningOn(int port)
    {
        var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = SocketTables
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[1].EndsWith(hexPort, StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet(StringComparer.Ordinal);
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => inodes.Contains(LinkTarget(fd))))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended meanwhile, or one we may not look into: not ours.
            }
        }

        return null;
    }

    private static string LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}

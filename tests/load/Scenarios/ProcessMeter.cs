using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// CPU time and resident memory of the system's processes, read from /proc: each service's dotnet process, every
/// PostgreSQL process of our cluster (the postmaster and its children), and RabbitMQ's beam.smp.
/// </summary>
public sealed class ProcessMeter(LocalSystem system)
{
    // /proc reports CPU times in USER_HZ, which Linux fixes at 100 for user space whatever the kernel's HZ.
    private const double MillisecondsPerTick = 10;

    /// <summary>CPU milliseconds used so far by each measured group: the four services, <c>postgres</c>, <c>rabbitmq</c>.</summary>
    public IReadOnlyDictionary<string, double> CpuMilliseconds()
    {
        var cpu = new Dictionary<string, double>();
        foreach (var service in LocalSystem.Services)
        {
            cpu[service] = system.ServicePid(service) is { } pid ? Ticks(pid, withReapedChildren: false) * MillisecondsPerTick : 0;
        }

        // Backends that exited since are in the postmaster's cutime/cstime (it reaps them), so a before/after
        // difference counts every backend's work whether it lives through the run or not.
        cpu["postgres"] = system.PostgresPid() is { } postmaster
            ? (Ticks(postmaster, withReapedChildren: true) + ChildrenOf(postmaster).Sum(child => Ticks(child, withReapedChildren: false))) * MillisecondsPerTick
            : 0;
        cpu["rabbitmq"] = system.RabbitMqPid() is { } beam ? Ticks(beam, withReapedChildren: true) * MillisecondsPerTick : 0;
        return cpu;
    }

    /// <summary>Resident memory (VmRSS) of <paramref name="pid"/> in MB, or null when it is gone.</summary>
    public static double? ResidentMegabytes(int pid)
    {
        var line = Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage() => string.Join(' ', (Read("/proc/loadavg") ?? "? ? ?").Split(' ').Take(3));

    /// <summary>The difference of two <see cref="CpuMilliseconds"/> readings, per group.</summary>
    public static IReadOnlyDictionary<string, double> Used(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return after.ToDictionary(a => a.Key, a => Math.Max(0, a.Value - before.GetValueOrDefault(a.Key)));
    }

    private static long Ticks(int pid, bool withReapedChildren)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // Fields after the command: [0] state, [1] ppid ... [11] utime, [12] stime, [13] cutime, [14] cstime.
        var own = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return withReapedChildren ? own + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture) : own;
    }

    private static IEnumerable<int> ChildrenOf(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && StatFields(pid) is { } fields && fields[1] == parent.ToString(CultureInfo.InvariantCulture));

    private static string[]? StatFields(int pid)
    {
        // The command sits in parentheses and may hold spaces; the fields start after its closing one.
        var stat = Read($"/proc/{pid}/stat");
        var end = stat?.LastIndexOf(')') ?? -1;
        return end < 0 ? null : stat![(end + 2)..].Split(' ');
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

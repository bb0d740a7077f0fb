using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// CPU time and resident memory of the system's processes, read from /proc: each service's dotnet process, every
/// PostgreSQL process of our cluster (the postmaster and its children), and RabbitMQ's beam.smp.
/// </summary>
public sealed class ProcessMeter(LocalSystem system)
{
    /// <summary>CPU milliseconds used so far by each measured group: the four services, <c>postgres</c>, <c>rabbitmq</c>.</summary>
    /// <remarks>
    /// Each group is a process tree (<see cref="ProcessTreeCpu"/>): backends that exited since are in the postmaster's
    /// cutime/cstime (it reaps them), so a before/after difference counts every backend's work whether it lives
    /// through the run or not.
    /// </remarks>
    public IReadOnlyDictionary<string, double> CpuMilliseconds()
    {
        var cpu = LocalSystem.Services.ToDictionary(s => s, s => TreeMilliseconds(system.ServicePid(s)));
        cpu["postgres"] = TreeMilliseconds(system.PostgresPid());
        cpu["rabbitmq"] = TreeMilliseconds(system.RabbitMqPid());
        return cpu;
    }

    /// <summary>Resident memory (VmRSS) of <paramref name="pid"/> in MB, or null when it is gone.</summary>
    public static double? ResidentMegabytes(int pid) => StatusMegabytes(pid, "VmRSS");

    /// <summary>
    /// The part of <paramref name="pid"/>'s resident memory that is mapped files (RssFile, in MB): the runtime's and the
    /// service's assemblies and native libraries, clean pages the kernel shares between every process mapping the same
    /// file and may drop under pressure. Null when it is gone.
    /// </summary>
    public static double? ResidentFileMegabytes(int pid) => StatusMegabytes(pid, "RssFile");

    /// <summary>
    /// <paramref name="pid"/>'s proportional share of resident memory (Pss, in MB): its private pages whole, and each page
    /// it shares divided by the number of processes mapping it. Summed over processes it is what they hold together,
    /// which the resident figures, counting each shared assembly page once per process, are not. Null when it is gone.
    /// </summary>
    public static double? ProportionalMegabytes(int pid) => FieldMegabytes($"/proc/{pid}/smaps_rollup", "Pss");

    private static double? StatusMegabytes(int pid, string field) => FieldMegabytes($"/proc/{pid}/status", field);

    // A "Field:   1234 kB" line of a /proc file, in MB.
    private static double? FieldMegabytes(string path, string field)
    {
        var label = field + ":";
        var line = Read(path)?.Split('\n').FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[label.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage() => ProcessTreeCpu.LoadAverage();

    /// <summary>The difference of two <see cref="CpuMilliseconds"/> readings, per group.</summary>
    public static IReadOnlyDictionary<string, double> Used(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return after.ToDictionary(a => a.Key, a => Math.Max(0, a.Value - before.GetValueOrDefault(a.Key)));
    }

    private static double TreeMilliseconds(int? pid) => pid is { } running ? ProcessTreeCpu.TreeMilliseconds(running) : 0;

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

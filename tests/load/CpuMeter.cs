using System.Globalization;

namespace OrdersMail.Load;

/// <summary>
/// CPU used by each measured process between two readings, per event: on a machine whose cores others share, rates are
/// noisy while CPU per event is not, and it says which process the time goes to.
/// </summary>
public sealed class CpuMeter(IReadOnlyList<ProcessCpu> processes)
{
    /// <summary>A reading of every process's CPU seconds, the whole machine's busy seconds and the wall clock.</summary>
    public sealed record Reading(double[] Seconds, double MachineBusySeconds, DateTime At, double LoadAverage);

    /// <summary>The processes measured, in the order the figures name them.</summary>
    public IReadOnlyList<ProcessCpu> Processes => processes;

    /// <summary>Reads every process now.</summary>
    public Reading Read() => new([.. processes.Select(p => p.Seconds())], ProcessCpu.MachineBusySeconds(), DateTime.UtcNow, ProcessCpu.LoadAverage());

    /// <summary>"router 0.21, postgres 0.30, ... ms/event" between two readings, and each process's share of one core.</summary>
    public string PerEvent(Reading before, Reading after, int events)
    {
        var wall = (after.At - before.At).TotalSeconds;
        var parts = processes.Select((p, i) =>
        {
            var used = after.Seconds[i] - before.Seconds[i];
            return double.IsNaN(used)
                ? $"{p.Name} n/a"
                : string.Create(CultureInfo.InvariantCulture, $"{p.Name} {used * 1000 / events:0.000} ({used / wall * 100:0}% of a core)");
        });
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU ms/event: {string.Join(", ", parts)}; load average {after.LoadAverage:0.0}; {Machine(before, after, wall)}");
    }

    // "machine 187% of 200% busy, 12% of it outside these processes": how much of the cores the phase had to itself.
    private string Machine(Reading before, Reading after, double wall)
    {
        var busy = after.MachineBusySeconds - before.MachineBusySeconds;
        var measured = processes.Select((_, i) => after.Seconds[i] - before.Seconds[i]).Where(used => !double.IsNaN(used)).Sum();
        return double.IsNaN(busy)
            ? "machine n/a"
            : string.Create(CultureInfo.InvariantCulture,
                $"machine {busy / wall * 100:0}% of {Environment.ProcessorCount * 100}% busy, {Math.Max(0, busy - measured) / wall * 100:0}% of it outside these processes");
    }

    /// <summary>The sum over the processes whose names are given, in ms per event.</summary>
    public double MsPerEvent(Reading before, Reading after, int events, params string[] names) =>
        processes.Select((p, i) => names.Contains(p.Name) ? after.Seconds[i] - before.Seconds[i] : 0).Sum() * 1000 / events;
}

using System.Diagnostics;
using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Waits, bounded, for the machine to go quiet: every core's busy time (<c>/proc/stat</c>, whoever used it) under a
/// share of the cores for two seconds running. A phase measured right after a storm otherwise shares the cores with
/// the storm's tail (services draining their queues, PostgreSQL's autovacuum, the trace viewer taking in the storm's
/// spans), and its figures say more about that tail than about what the phase measures.
/// </summary>
public static class MachineQuiet
{
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(1);

    /// <summary>How long it waited, whether the machine went quiet, and how busy it was in the last second (% of one core).</summary>
    public static async Task<(TimeSpan Waited, bool Quiet, double BusyPercent)> WaitAsync(double maxBusyShareOfCores, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var quietSamples = 0;
        var busy = double.NaN;
        while (clock.Elapsed < timeout)
        {
            var before = ProcessCpu.MachineBusySeconds();
            var sampled = Stopwatch.StartNew();
            await Task.Delay(Sample);
            busy = 100 * (ProcessCpu.MachineBusySeconds() - before) / sampled.Elapsed.TotalSeconds;
            if (double.IsNaN(busy))
            {
                // Not Linux: nothing to read, so nothing to wait for.
                return (clock.Elapsed, false, busy);
            }

            quietSamples = busy <= 100 * maxBusyShareOfCores * Environment.ProcessorCount ? quietSamples + 1 : 0;
            if (quietSamples == 2)
            {
                return (clock.Elapsed, true, busy);
            }
        }

        return (clock.Elapsed, false, busy);
    }

    /// <summary>The wait, in words.</summary>
    public static string Describe((TimeSpan Waited, bool Quiet, double BusyPercent) wait) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(wait.Quiet ? "machine quiet" : "machine still busy")} after {wait.Waited.TotalSeconds:0} s ({wait.BusyPercent:0}% of {100 * Environment.ProcessorCount}% busy in the last second)");
}

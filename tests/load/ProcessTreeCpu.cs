using System.Globalization;

namespace OrdersMail.Load;

/// <summary>
/// CPU time of a process and everything below it, from <c>/proc/&lt;pid&gt;/stat</c>: user + system time of the process and
/// its live descendants, plus what its exited children left in its <c>cutime</c>/<c>cstime</c> (PostgreSQL's backends,
/// RabbitMQ's helpers). Clock ticks are USER_HZ, 100 per second on Linux.
/// </summary>
public static class ProcessTreeCpu
{
    private const double TicksPerMillisecond = 100 / 1000.0;

    /// <summary>Milliseconds of CPU the tree under <paramref name="pid"/> has used so far; 0 when it is gone.</summary>
    public static double TreeMilliseconds(int pid)
    {
        var stats = AllStats();
        var total = 0L;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!stats.TryGetValue(current, out var stat))
            {
                continue;
            }

            total += stat.Ticks;
            foreach (var child in stats.Where(s => s.Value.Parent == current))
            {
                pending.Push(child.Key);
            }
        }

        return total / TicksPerMillisecond;
    }

    /// <summary>The pid written on the first line of <paramref name="pidFile"/>, or null.</summary>
    public static int? PidIn(string pidFile) =>
        File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault()?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>The 1, 5 and 15 minute load averages, as <c>/proc/loadavg</c> says.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static Dictionary<int, (int Parent, long Ticks)> AllStats()
    {
        var stats = new Dictionary<int, (int, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // The command name is in parentheses and may hold spaces: the fields start after its closing one.
                var line = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = line[(line.LastIndexOf(')') + 2)..].Split(' ');
                long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
                stats[pid] = ((int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
            }
            catch (IOException)
            {
                // Exited while being read.
            }
        }

        return stats;
    }
}

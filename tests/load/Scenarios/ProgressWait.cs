using System.Diagnostics;
using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Waits for a count read from the system to reach a target, bounded twice: by a timeout, and by a stall (no progress
/// for as long), after which the rest will not come by waiting and the invariants say which items are missing.
/// </summary>
public static class ProgressWait
{
    /// <summary>Polls <paramref name="count"/> every second until it reaches <paramref name="target"/>, times out or stalls; the last count.</summary>
    /// <param name="what">Printed every 10 s: <c>{what}: n of target after s</c>.</param>
    /// <param name="count">Reads the count now.</param>
    /// <param name="target">The count that means done.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="stall">The longest wait without the count changing.</param>
    public static async Task<int> UntilAsync(string what, Func<Task<int>> count, int target, TimeSpan timeout, TimeSpan stall)
    {
        ArgumentNullException.ThrowIfNull(count);
        var clock = Stopwatch.StartNew();
        var (last, lastProgress, lastPrint) = (-1, TimeSpan.Zero, TimeSpan.Zero);
        while (true)
        {
            var now = await count();
            if (now != last)
            {
                (last, lastProgress) = (now, clock.Elapsed);
            }

            if (now >= target || clock.Elapsed >= timeout || clock.Elapsed - lastProgress >= stall)
            {
                return now;
            }

            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {now} of {target} after {clock.Elapsed.TotalSeconds:0} s"));
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}

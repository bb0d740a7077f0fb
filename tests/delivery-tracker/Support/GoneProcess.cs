using System.Diagnostics;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>A process of this machine that was killed (a <c>sleep</c>): a relay whose corner any relay takes back at once.</summary>
public static class GoneProcess
{
    /// <summary>The killed process, as its lease named it while it ran.</summary>
    public static HolderProcess Holder()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60")) ?? throw new InvalidOperationException("sleep did not start");
        var process = HolderProcess.Of(sleeper.Id);
        sleeper.Kill();
        sleeper.WaitForExit();
        return process;
    }
}

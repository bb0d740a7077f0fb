namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Scenario 7: each service's resident memory (VmRSS) idle and at the end of the order storm, and its start-to-ready
/// time: stopped by its recorded pid, started with the same command, timed until <c>/health/ready</c> answers 200.
/// Beside the end-of-storm figure, how much of it is mapped files (RssFile): assemblies the four services share
/// through the page cache, which is why resident memory is not what each service costs the machine alone; and its
/// proportional share (Pss), which divides each shared page among the processes that map it.
/// </summary>
public static class Footprint
{
    /// <summary>The scenario's name in the table.</summary>
    public const string Name = "footprint";

    private const double MaxResidentMegabytes = 150;
    private const double MaxStartToReadySeconds = 3;

    /// <summary>Each service's resident memory now, before any load of this run.</summary>
    public static IReadOnlyDictionary<string, double> ReadIdle(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Resident(context);
    }

    /// <summary>Reports idle and current memory, then restarts each service once and reports its start-to-ready time.</summary>
    public static async Task RunAsync(ScenarioContext context, IReadOnlyDictionary<string, double> idle, bool afterStorm, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(idle);
        ArgumentNullException.ThrowIfNull(report);
        var loaded = Resident(context);
        var loadedFiles = LocalSystem.Services.ToDictionary(s => s, s => context.System.ServicePid(s) is { } pid ? ProcessMeter.ResidentFileMegabytes(pid) ?? 0 : 0);
        var loadedShares = LocalSystem.Services.ToDictionary(s => s, s => context.System.ServicePid(s) is { } pid ? ProcessMeter.ProportionalMegabytes(pid) ?? 0 : 0);
        foreach (var service in LocalSystem.Services)
        {
            report.Measured(Name, $"{service} resident, idle", idle.GetValueOrDefault(service), "MB");
            if (afterStorm)
            {
                report.AtMost(Name, $"{service} resident, end of order storm", loaded.GetValueOrDefault(service), "MB", MaxResidentMegabytes);
                report.Measured(Name, $"{service} resident, end of order storm: of it mapped files (shared)", loadedFiles.GetValueOrDefault(service), "MB");
                report.Measured(Name, $"{service} proportional share (Pss), end of order storm", loadedShares.GetValueOrDefault(service), "MB");
            }
        }

        var restarter = new ServiceRestarter(context.System, context.Http);
        var failed = new List<string>();
        foreach (var service in LocalSystem.Services)
        {
            Console.WriteLine($"{Name}: restarting {service}");
            try
            {
                var ready = await restarter.RestartAsync(service, kill: false);
                report.AtMost(Name, $"{service} start to ready", ready.TotalSeconds, "s", MaxStartToReadySeconds);
                report.Measured(Name, $"{service} resident, just ready", context.System.ServicePid(service) is { } pid ? ProcessMeter.ResidentMegabytes(pid) ?? 0 : 0, "MB");
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException)
            {
                failed.Add($"{service}: {e.Message}");
            }
        }

        report.Check(Name, "every service ready again after its restart", failed.Count == 0,
            failed.Count == 0 ? $"{LocalSystem.Services.Count} restarted" : string.Join(" | ", failed));
    }

    private static Dictionary<string, double> Resident(ScenarioContext context) =>
        LocalSystem.Services.ToDictionary(s => s, s => context.System.ServicePid(s) is { } pid ? ProcessMeter.ResidentMegabytes(pid) ?? 0 : 0);
}

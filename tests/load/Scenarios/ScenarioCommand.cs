namespace OrdersMail.Load.Scenarios;

/// <summary>
/// <c>dotnet run -c Release --project tests/load -- scenarios [--small] [--only order-storm,footprint,inbound-storm,attack,hostile-provider,scale-out,chaos] [--json out.json]</c>:
/// starts the system as the README does unless it runs, plays the scenarios, prints the table and each invariant,
/// writes the JSON. Exit code 0 only when every invariant held (figures off target do not fail it: it is a benchmark).
/// </summary>
public static class ScenarioCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ScenarioOptions.Parse(args);
        var system = LocalSystem.FromEnvironment();
        await using var context = ScenarioContext.For(system);
        var report = new ScenarioReport();
        var started = await system.EnsureRunningAsync(context.Http, TimeSpan.FromMinutes(20));
        report.Note(started ? "the system was started for this run by deploy/local/up.sh --no-journey" : "the system was running already");
        report.Note($"load average at start (1/5/15 min): {ProcessMeter.LoadAverage()}");

        await RunAsync(context, options, report);

        report.Note($"load average at end (1/5/15 min): {ProcessMeter.LoadAverage()}");
        Console.WriteLine();
        Console.Write(ReportPrinter.Table(report));
        await ReportPrinter.WriteJsonAsync(report, options.JsonPath);
        Console.WriteLine($"written: {Path.GetFullPath(options.JsonPath)}");
        return report.AllHold ? 0 : 1;
    }

    /// <summary>Runs the scenarios <paramref name="options"/> names against a running system; also the CI spec's entry.</summary>
    public static async Task RunAsync(ScenarioContext context, ScenarioOptions options, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var deadLettered = await DeadLetters.CountAsync(context);
        var setAside = await SetAsideWork.CountAsync(context);
        var idle = options.Runs(Footprint.Name) ? Footprint.ReadIdle(context) : null;
        StormOutcome? storm = null;
        if (options.Runs(OrderStorm.Name))
        {
            storm = await OrderStorm.RunAsync(context, options.Storm, report);
        }

        if (idle is not null)
        {
            await Footprint.RunAsync(context, idle, afterStorm: options.Runs(OrderStorm.Name), report);
        }

        if (options.Runs(InboundStorm.Name))
        {
            await InboundStorm.RunAsync(context, storm, options.Inbound, report);
        }

        if (options.Runs(Attack.Name))
        {
            await Attack.RunAsync(context, report);
        }

        if (options.Runs(HostileProvider.Name))
        {
            await HostileProvider.RunAsync(context, options.Hostile, report);
        }

        if (options.Runs(ScaleOut.Name))
        {
            await ScaleOut.RunAsync(context, options.ScaleOutSize, report);
        }

        // Last: it restarts the servers and every service.
        if (options.Runs(Chaos.Name))
        {
            await Chaos.RunAsync(context, options.ChaosSize, report);
        }

        await DeadLetters.CheckNoneAddedAsync(context, deadLettered, report);
        await SetAsideWork.CheckNoneAddedAsync(context, setAside, report);
    }
}

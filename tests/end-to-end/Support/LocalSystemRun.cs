using OrdersMail.Load.Scenarios;

namespace OrdersMail.EndToEnd.Tests.Support;

/// <summary>
/// A spec's use of the system deploy/local/up.sh runs for the environment's ports: started when it does not run yet
/// (and stopped again afterwards, whatever the spec did), used as it is when it runs already.
/// </summary>
public static class LocalSystemRun
{
    /// <summary>Runs <paramref name="spec"/> on the local system, starting it first when needed.</summary>
    public static async Task UseAsync(Func<LocalSystem, ScenarioContext, Task> spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var system = LocalSystem.FromEnvironment();
        await using var context = ScenarioContext.For(system);
        var started = await system.EnsureRunningAsync(context.Http, TimeSpan.FromMinutes(20));
        try
        {
            await spec(system, context);
        }
        finally
        {
            if (started)
            {
                await system.StopProgramsAsync();
            }
        }
    }
}

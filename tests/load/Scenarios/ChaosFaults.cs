using System.Diagnostics;
using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>One fault the chaos scenario caused and how the system got over it.</summary>
/// <param name="Fault">What was done.</param>
/// <param name="ServerBack">From the start command to the server (or the killed service's new process) answering.</param>
/// <param name="ServicesReady">From then to every service answering <c>/health/ready</c> with 200.</param>
/// <param name="Drained">From then to every order accepted so far shown ready with its confirmation delivered.</param>
/// <param name="Backlog">The orders that were waited for, and how many of them finished.</param>
public sealed record Recovery(string Fault, TimeSpan ServerBack, TimeSpan ServicesReady, TimeSpan Drained, (int Waited, int Finished) Backlog);

/// <summary>
/// The faults of scenario 3, each followed by the wait for its recovery: a server stopped and started through
/// deploy/local/infra.sh, a service killed (SIGKILL by its recorded pid) and started again by <see cref="ServiceRestarter"/>.
/// </summary>
public sealed class ChaosFaults(ScenarioContext context, PacedOrders orders, ChaosSettings settings)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Stops <paramref name="server"/> (<c>rabbitmq</c> or <c>postgres</c>), leaves it down for the settings' outage
    /// while orders keep coming, starts it again and waits for the services and the backlog.
    /// </summary>
    public async Task<Recovery> RestartServerAsync(string server)
    {
        Console.WriteLine($"{Chaos.Name}: stopping {server}");
        await InfraAsync("stop", server);
        await Task.Delay(settings.Outage);
        Console.WriteLine($"{Chaos.Name}: starting {server} again");
        var back = await InfraAsync("start", server);
        // The scenario's own pooled connections died with a PostgreSQL restart: new ones from here on.
        context.Database.Clear();
        return await RecoverAsync($"{server} stopped and started", back);
    }

    /// <summary>Kills <paramref name="service"/> with SIGKILL, starts it again as it was started, and waits for the backlog.</summary>
    public async Task<Recovery> KillAsync(string service)
    {
        Console.WriteLine($"{Chaos.Name}: killing {service} (SIGKILL)");
        var ready = await new ServiceRestarter(context.System, context.Http).RestartAsync(service, kill: true);
        // The restarter waited for the new process to be ready: it is back and ready at once.
        return await RecoverAsync($"{service} killed and started", ready);
    }

    private async Task<Recovery> RecoverAsync(string fault, TimeSpan serverBack)
    {
        var clock = Stopwatch.StartNew();
        while (!await context.System.IsReadyAsync(context.Http))
        {
            if (clock.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"{fault}: the services were not all ready {ReadyTimeout.TotalSeconds:0} s after it");
            }

            await Task.Delay(100);
        }

        var servicesReady = clock.Elapsed;
        clock.Restart();
        var backlog = orders.Accepted;
        var finished = await OrderStorm.WaitForDeliveredAsync(context, backlog, settings.DrainTimeout);
        return new Recovery(fault, serverBack, servicesReady, clock.Elapsed, (backlog.Count, finished));
    }

    /// <summary>Runs <c>deploy/local/infra.sh ACTION SERVER</c> with this environment, bounded; how long it took.</summary>
    private async Task<TimeSpan> InfraAsync(string action, string server)
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash", ["deploy/local/infra.sh", action, server]) { WorkingDirectory = context.System.RepositoryRoot };
        // infra.sh gives a server 60 s to start by default; RabbitMQ took longer on this machine under load.
        start.Environment["ORDERSMAIL_START_TIMEOUT"] = ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        using var script = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var cancel = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await script.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/local/infra.sh {action} {server} did not finish within {ScriptTimeout.TotalSeconds:0} s");
        }

        return script.ExitCode == 0
            ? clock.Elapsed
            : throw new InvalidOperationException($"deploy/local/infra.sh {action} {server} exited {script.ExitCode}; its output above says why");
    }
}

using System.Diagnostics;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Stops a service by the pid up.sh recorded and starts it again with exactly the command line, environment and
/// working directory that process had (read from /proc), detached the way up.sh detaches it, recording the new pid
/// where up.sh keeps it so deploy/local/down.sh still stops it.
/// </summary>
public sealed class ServiceRestarter(LocalSystem system, HttpClient http)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Stops <paramref name="service"/> (SIGTERM, or SIGKILL when <paramref name="kill"/>), starts it again and returns the time from its start to 200 on <c>/health/ready</c>.</summary>
    public async Task<TimeSpan> RestartAsync(string service, bool kill)
    {
        var pid = system.ServicePid(service) ?? throw new InvalidOperationException($"{service} has no live recorded pid in {system.ServicePidFile(service)}");
        var launch = await ProcessLaunch.ReadAsync(pid, system.RepositoryRoot);

        using (var running = Process.GetProcessById(pid))
        {
            if (kill)
            {
                running.Kill();
            }
            else
            {
                // SIGTERM, as down.sh stops it: the host shuts down gracefully.
                using var term = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }

            using var stopped = new CancellationTokenSource(StopTimeout);
            await running.WaitForExitAsync(stopped.Token);
        }

        var clock = Stopwatch.StartNew();
        var newPid = await launch.StartDetachedAsync(Path.Combine(system.DataDirectory, "logs", $"{service}.log"));
        await File.WriteAllTextAsync(system.ServicePidFile(service), $"{newPid}\n");
        while (!await system.IsReadyAsync(http, service))
        {
            if (clock.Elapsed > ReadyTimeout || !Directory.Exists($"/proc/{newPid}"))
            {
                throw new InvalidOperationException($"{service} (pid {newPid}) not ready {clock.Elapsed.TotalSeconds:0} s after its restart; see its log in {system.DataDirectory}/logs");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }
}

using System.Diagnostics;
using System.Text;

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
        var command = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).TrimEnd('\0').Split('\0');
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).Where(e => e.Length == 2).ToDictionary(e => e[0], e => e[1]);
        var workingDirectory = new FileInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)?.FullName ?? system.RepositoryRoot;

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
        var newPid = await StartDetachedAsync(service, command, environment, workingDirectory);
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

    private async Task<int> StartDetachedAsync(string service, string[] command, Dictionary<string, string> environment, string workingDirectory)
    {
        // As up.sh does: setsid + nohup + no inherited stdio, so the service outlives this tool; $! is the program itself.
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; setsid nohup \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!");
        start.ArgumentList.Add("restart");
        start.ArgumentList.Add(Path.Combine(system.DataDirectory, "logs", $"{service}.log"));
        foreach (var part in command)
        {
            start.ArgumentList.Add(part);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = new StringBuilder(await bash.StandardOutput.ReadToEndAsync());
        await bash.WaitForExitAsync();
        return int.Parse(output.ToString().Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System.Diagnostics;
using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// How a running program was started, read from /proc: its command line, environment and working directory; and
/// starting another process the same way, detached as up.sh detaches the services.
/// </summary>
/// <param name="Command">The command line, the program first.</param>
/// <param name="Environment">Every environment variable it was started with.</param>
/// <param name="WorkingDirectory">Its working directory.</param>
public sealed record ProcessLaunch(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory)
{
    /// <summary>How <paramref name="pid"/> was started; <paramref name="fallbackDirectory"/> when its working directory cannot be read.</summary>
    public static async Task<ProcessLaunch> ReadAsync(int pid, string fallbackDirectory)
    {
        var command = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).TrimEnd('\0').Split('\0');
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).Where(e => e.Length == 2).ToDictionary(e => e[0], e => e[1]);
        var workingDirectory = new FileInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)?.FullName ?? fallbackDirectory;
        return new ProcessLaunch(command, environment, workingDirectory);
    }

    /// <summary>The same launch with <paramref name="name"/> set to <paramref name="value"/> in its environment.</summary>
    public ProcessLaunch With(string name, string value) =>
        this with { Environment = new Dictionary<string, string>(Environment) { [name] = value } };

    /// <summary>Starts it detached, its output appended to <paramref name="logFile"/>; the new process's pid.</summary>
    public async Task<int> StartDetachedAsync(string logFile)
    {
        // As up.sh does: setsid + nohup + no inherited stdio, so the program outlives this tool; $! is the program itself.
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; setsid nohup \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!");
        start.ArgumentList.Add("restart");
        start.ArgumentList.Add(logFile);
        foreach (var part in Command)
        {
            start.ArgumentList.Add(part);
        }

        start.Environment.Clear();
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return int.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}

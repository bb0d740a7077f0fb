using System.Diagnostics;
using System.Text;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>Runs one of the repository's shell scripts, bounded in time, and fails with everything it printed.</summary>
public static class ScriptRunner
{
    /// <summary>Runs <paramref name="script"/> (relative to the repository root) with <paramref name="arguments"/> and extra environment variables.</summary>
    /// <returns>What the script printed (stdout and stderr interleaved).</returns>
    /// <exception cref="InvalidOperationException">The script exited non-zero or ran past <paramref name="timeout"/>.</exception>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s:\n{Text(output)}");
        }

        return process.ExitCode == 0
            ? Text(output)
            : throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{Text(output)}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.EndToEnd.Tests.Journey;

/// <summary>
/// One OrdersMail program run as its own OS process from its build output (<c>dotnet &lt;dll&gt;</c>, as
/// deploy/local/up.sh runs the published one), configured only through <c>ORDERSMAIL_</c> variables, its output kept
/// in a log file that a failed start shows.
/// </summary>
internal sealed class ProgramProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(180);

    private readonly Process _process;

    private ProgramProcess(string name, int port, Process process, string log)
    {
        Name = name;
        Port = port;
        _process = process;
        LogFile = log;
    }

    /// <summary>The program's name (its log file's name).</summary>
    public string Name { get; }

    /// <summary>The loopback port it serves HTTP on.</summary>
    public int Port { get; }

    /// <summary>Where its console output goes.</summary>
    public string LogFile { get; }

    /// <summary>Its base URL.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>A free loopback port (the OS picks one; it is free again once this returns).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="project"/> (built from <paramref name="directory"/>) and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ProgramProcess> StartAsync(
        string name, string directory, string project, int port, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var dll = Path.Combine(RepositoryRoot.Path, directory, "bin", BuildConfiguration, "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build OrdersMail.sln)");
        }

        var log = Path.Combine(logDirectory, $"{name}.log");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => Write(writer, line.Data);
        process.ErrorDataReceived += (_, line) => Write(writer, line.Data);
        process.Exited += (_, _) => writer.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var program = new ProgramProcess(name, port, process, log);
        await program.WaitUntilReadyAsync();
        return program;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }

    // The configuration this test assembly was built in is the one the programs beside it were built in.
    private static string BuildConfiguration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process exited and its log was closed; a last line racing that is of no use.
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Eventually.Until(
                async () =>
                {
                    if (_process.HasExited)
                    {
                        throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} during start-up");
                    }

                    try
                    {
                        using var response = await http.GetAsync("health/ready");
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                    catch (TaskCanceledException)
                    {
                        return false;
                    }
                },
                ready => ready,
                ReadyTimeout,
                $"{Name} to answer /health/ready");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            var tail = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "(no output)";
            await DisposeAsync();
            throw new InvalidOperationException($"{e.Message}; its log ({LogFile}) ends:\n{tail}", e);
        }
    }
}

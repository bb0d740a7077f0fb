using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrdersMail.Load;

/// <summary>
/// One of OrdersMail's programs run by a benchmark as a child process (<c>dotnet &lt;dll&gt;</c>, configured by
/// <c>ORDERSMAIL_</c> variables) on a free loopback port, waited for until a URL answers, stopped when disposed.
/// </summary>
public sealed class BenchmarkProgram : IAsyncDisposable
{
    private readonly Process _process;

    private BenchmarkProgram(Process process, int port)
    {
        _process = process;
        Port = port;
        Pid = process.Id;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Its HTTP port.</summary>
    public int Port { get; }

    /// <summary>Its pid, for its CPU time (still answered once it has exited).</summary>
    public int Pid { get; }

    /// <summary>Its base URL.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="settings"/> and waits (up to 2 minutes) until <paramref name="readyPath"/> answers 2xx.</summary>
    public static async Task<BenchmarkProgram> StartAsync(string dll, int port, IReadOnlyDictionary<string, string> settings, string readyPath)
    {
        dll = Path.GetFullPath(dll);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built: dotnet build -c Release the project first.", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            start.Environment[$"ORDERSMAIL_{key.Replace(":", "__", StringComparison.Ordinal)}"] = value;
        }

        var program = new BenchmarkProgram(Process.Start(start)!, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && !program._process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(program.BaseUrl, readyPath));
                if (response.IsSuccessStatusCode)
                {
                    return program;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Too busy to answer yet.
            }

            await Task.Delay(200);
        }

        await program.DisposeAsync();
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(dll)} exited or did not answer {readyPath} on port {port} within 2 minutes."));
    }

    /// <summary>Stops it: SIGTERM (a graceful stop), then SIGKILL after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await terminate.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}

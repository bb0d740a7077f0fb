using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OrdersMail.BuildingBlocks.Health;

namespace OrdersMail.Testing.Hosting;

/// <summary>
/// A service as a real OS process: its built assembly run with <c>dotnet</c> from the test's output folder, configured
/// through <c>ORDERSMAIL_</c> environment variables like a deployment, on a free loopback port of its own, so a spec can
/// SIGKILL it and start another. A small shell watchdog runs it: should the test process itself die (a crash, an
/// aborted run), the service is killed too instead of living on, and it is killed when disposed or when it never gets ready.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    // $0: the assembly, $1: the test process's pid. The service runs in the background so the shell can watch both.
    private const string Watchdog =
        "dotnet \"$0\" & service=$!; " +
        "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$service\" 2>/dev/null; do sleep 1; done; " +
        "kill -9 \"$service\" 2>/dev/null; wait \"$service\"";

    private static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The HTTP port it listens on.</summary>
    public int Port { get; }

    /// <summary>A client of its HTTP port.</summary>
    public HttpClient Client { get; }

    /// <summary>The last lines it wrote to stdout and stderr, for failure messages.</summary>
    public string OutputTail => string.Join('\n', _output);

    /// <summary>
    /// Starts <paramref name="assembly"/> (e.g. <c>OrdersMail.DeliveryTracker.dll</c>) with <paramref name="settings"/>
    /// (<c>Section:Key</c> names) and its port in <paramref name="portSetting"/>, and waits until <c>/health/ready</c>
    /// answers 200; a process that exits or is not ready in time is killed and reported with its output. The port is a
    /// free one unless <paramref name="port"/> gives it (from <see cref="FreePort"/>), for programs that must know each
    /// other's URLs before any of them starts.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(
        string assembly, string portSetting, IReadOnlyDictionary<string, string?> settings, TimeSpan? readyTimeout = null, int? port = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assembly);
        ArgumentNullException.ThrowIfNull(settings);
        port ??= FreePort();
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-c", Watchdog, Path.Combine(AppContext.BaseDirectory, assembly), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings.Append(new(portSetting, port.Value.ToString(CultureInfo.InvariantCulture))))
        {
            start.Environment[$"ORDERSMAIL_{key.Replace(":", "__", StringComparison.Ordinal)}"] = value;
        }

        var service = new ServiceProcess(Process.Start(start)!, port.Value);
        try
        {
            await Eventually.Until(service.IsReadyAsync, ready => ready, readyTimeout ?? DefaultReadyTimeout, $"{assembly} to report ready on port {port}", TimeSpan.FromMilliseconds(200));
            return service;
        }
        catch (Exception e)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"{assembly} did not start: {e.Message}\nIts output:\n{service.OutputTail}", e);
        }
    }

    /// <summary>Kills it at once (SIGKILL), as a crash or an OOM kill would: no graceful stop, nothing finished or released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Client.Dispose();
        _process.Dispose();
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"it exited with code {_process.ExitCode} while starting");
        }

        try
        {
            using var response = await Client.GetAsync(new Uri(HealthEndpoints.ReadyPath, UriKind.Relative));
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
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>A free loopback port (the OS picks one; it is free again once this returns).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

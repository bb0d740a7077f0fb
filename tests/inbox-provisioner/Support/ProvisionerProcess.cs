using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// inbox-provisioner as a real process (the built service, run with <c>dotnet</c> from the test's output folder),
/// configured through <c>ORDERSMAIL_</c> environment variables like a deployment, so a spec can kill it outright.
/// </summary>
public sealed class ProvisionerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private ProvisionerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) }.WithOpsKey();
    }

    /// <summary>A client of its HTTP port.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts it with <paramref name="settings"/> and waits until it is ready.</summary>
    public static async Task<ProvisionerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "OrdersMail.InboxProvisioner.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[$"ORDERSMAIL_{key.Replace(":", "__", StringComparison.Ordinal)}"] = value;
        }

        start.Environment["ORDERSMAIL_InboxProvisioner__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;

        // Drained so a chatty process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var provisioner = new ProvisionerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await Eventually.Until(
            async () =>
            {
                Assert.False(process.HasExited, $"inbox-provisioner exited with code {(process.HasExited ? process.ExitCode : 0)} while starting");
                try
                {
                    return (await provisioner.Client.GetAsync(HealthEndpoints.ReadyPath)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            ready => ready,
            ReadyTimeout,
            "the inbox-provisioner process to report ready");
        return provisioner;
    }

    /// <summary>Kills it at once, as a crash or an OOM kill would: no graceful stop, no acknowledgement of in-flight messages.</summary>
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// A second replica of every service beside the ones up.sh started: the same command line and environment (read from
/// /proc, so the same broker, database, sandbox and mail outbox directory) but its own HTTP port, the first one's
/// plus <see cref="PortOffset"/>. They compete for the same queues, outbox rows and outbox files. Their pids are kept
/// in <c>run/&lt;service&gt;.replica.pid</c> and they are stopped (SIGTERM, then SIGKILL after 20 s) on dispose.
/// </summary>
public sealed class ServiceReplicas : IAsyncDisposable
{
    /// <summary>How far a second replica's port is from the first one's.</summary>
    public const int PortOffset = 1;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string> PortVariables = new()
    {
        ["orders-api"] = "ORDERSMAIL_OrdersApi__Port",
        ["inbox-provisioner"] = "ORDERSMAIL_InboxProvisioner__Port",
        ["inbound-router"] = "ORDERSMAIL_InboundRouter__Port",
        ["delivery-tracker"] = "ORDERSMAIL_DeliveryTracker__Port",
    };

    private readonly LocalSystem _system;
    private readonly Dictionary<string, int> _pids = [];

    private ServiceReplicas(LocalSystem system) => _system = system;

    /// <summary>The second replicas' pids, by service.</summary>
    public IReadOnlyDictionary<string, int> Pids => _pids;

    /// <summary>Starts a second replica of every service and waits until each answers <c>/health/ready</c>; stops them again when one does not.</summary>
    public static async Task<ServiceReplicas> StartAsync(LocalSystem system, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(http);
        var replicas = new ServiceReplicas(system);
        try
        {
            foreach (var service in LocalSystem.Services)
            {
                await replicas.StartAsync(service);
            }

            await replicas.WaitReadyAsync(http);
            return replicas;
        }
        catch
        {
            await replicas.DisposeAsync();
            throw;
        }
    }

    /// <summary>The second replica of <paramref name="service"/>'s base URL.</summary>
    public static Uri Url(LocalSystem system, string service)
    {
        ArgumentNullException.ThrowIfNull(system);
        return new UriBuilder(system.ServiceUrl(service)) { Port = system.ServiceUrl(service).Port + PortOffset }.Uri;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (service, pid) in _pids)
        {
            if (Directory.Exists($"/proc/{pid}"))
            {
                using var running = Process.GetProcessById(pid);
                using (var term = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                using var stopped = new CancellationTokenSource(StopTimeout);
                try
                {
                    await running.WaitForExitAsync(stopped.Token);
                }
                catch (OperationCanceledException)
                {
                    running.Kill();
                }
            }

            File.Delete(PidFile(service));
        }

        _pids.Clear();
    }

    private async Task StartAsync(string service)
    {
        var first = _system.ServicePid(service) ?? throw new InvalidOperationException($"{service} has no live recorded pid in {_system.ServicePidFile(service)}");
        var port = Url(_system, service).Port;
        if (IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(l => l.Port == port))
        {
            throw new InvalidOperationException($"port {port} for {service}'s second replica is taken");
        }

        var launch = (await ProcessLaunch.ReadAsync(first, _system.RepositoryRoot)).With(PortVariables[service], port.ToString(CultureInfo.InvariantCulture));
        var pid = await launch.StartDetachedAsync(Path.Combine(_system.DataDirectory, "logs", $"{service}.replica.log"));
        _pids[service] = pid;
        await File.WriteAllTextAsync(PidFile(service), $"{pid}\n");
        Console.WriteLine($"scale-out: {service} second replica on port {port} (pid {pid})");
    }

    private async Task WaitReadyAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        foreach (var service in LocalSystem.Services)
        {
            while (!await LocalSystem.IsReadyAsync(http, Url(_system, service)))
            {
                if (clock.Elapsed > ReadyTimeout || !Directory.Exists($"/proc/{_pids[service]}"))
                {
                    throw new InvalidOperationException($"{service}'s second replica (pid {_pids[service]}) not ready after {clock.Elapsed.TotalSeconds:0} s; see {service}.replica.log in {_system.DataDirectory}/logs");
                }

                await Task.Delay(100);
            }
        }
    }

    private string PidFile(string service) => Path.Combine(_system.DataDirectory, "run", $"{service}.replica.pid");
}

using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The system deploy/local/up.sh runs, as the same <c>ORDERSMAIL_*</c> variables describe it: its addresses, its data
/// directory and the pids it recorded (services in <c>run/&lt;name&gt;.pid</c>, the postmaster in
/// <c>postgres/postmaster.pid</c>, RabbitMQ's beam in <c>rabbitmq/rabbitmq.pid</c>).
/// </summary>
public sealed class LocalSystem
{
    /// <summary>The four services, by the names up.sh records their pids under.</summary>
    public static readonly IReadOnlyList<string> Services = ["orders-api", "inbox-provisioner", "inbound-router", "delivery-tracker"];

    // Every program up.sh starts and records a pid for; PostgreSQL and RabbitMQ are recorded by the servers themselves.
    private static readonly IReadOnlyList<string> Programs = [.. Services, "mail-sandbox", "trace-viewer"];

    private LocalSystem(string repositoryRoot, string dataDirectory)
    {
        RepositoryRoot = repositoryRoot;
        DataDirectory = dataDirectory;
        OrdersApi = Local("ORDERSMAIL_OrdersApi__Port", 5100);
        Sandbox = Local("ORDERSMAIL_MailSandbox__Port", 7070);
        InboxProvisioner = Local("ORDERSMAIL_InboxProvisioner__Port", 5200);
        InboundRouter = Local("ORDERSMAIL_InboundRouter__Port", 5300);
        DeliveryTracker = Local("ORDERSMAIL_DeliveryTracker__Port", 5400);
        RabbitMqManagement = Local("ORDERSMAIL_RabbitMq__ManagementPort", 55673);
        var settings = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build();
        Postgres = settings.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        RabbitMqVirtualHost = (settings.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions()).VirtualHost;
    }

    /// <summary>The repository's root (where OrdersMail.sln is).</summary>
    public string RepositoryRoot { get; }

    /// <summary><c>ORDERSMAIL_DATA_DIR</c>, resolved against the repository root as the scripts resolve it.</summary>
    public string DataDirectory { get; }

    /// <summary>orders-api's base URL.</summary>
    public Uri OrdersApi { get; }

    /// <summary>The mail sandbox's base URL.</summary>
    public Uri Sandbox { get; }

    /// <summary>inbox-provisioner's base URL.</summary>
    public Uri InboxProvisioner { get; }

    /// <summary>inbound-router's base URL.</summary>
    public Uri InboundRouter { get; }

    /// <summary>delivery-tracker's base URL.</summary>
    public Uri DeliveryTracker { get; }

    /// <summary>RabbitMQ's management API.</summary>
    public Uri RabbitMqManagement { get; }

    /// <summary>The broker's virtual host the services share (test classes beside them have vhosts of their own).</summary>
    public string RabbitMqVirtualHost { get; }

    /// <summary>The database the services share, one schema each.</summary>
    public PostgresOptions Postgres { get; }

    /// <summary>
    /// The key the ops routes ask for: <c>ORDERSMAIL_Ops__ApiKey</c> when set, else the one up.sh made in the data
    /// directory (<c>ops-key</c>).
    /// </summary>
    public string OpsKey =>
        Environment.GetEnvironmentVariable("ORDERSMAIL_Ops__ApiKey") is { Length: > 0 } set ? set
        : File.Exists(Path.Combine(DataDirectory, "ops-key")) ? File.ReadAllText(Path.Combine(DataDirectory, "ops-key")).Trim()
        : throw new InvalidOperationException($"No ops key: set ORDERSMAIL_Ops__ApiKey, or start the system with deploy/local/up.sh (it writes {Path.Combine(DataDirectory, "ops-key")}).");

    /// <summary>A request to an ops route, with the ops key.</summary>
    public HttpRequestMessage OpsRequest(HttpMethod method, Uri route)
    {
        var request = new HttpRequestMessage(method, route);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OpsKey);
        return request;
    }

    /// <summary>The system as the environment describes it; the repository root is found from the working directory up.</summary>
    public static LocalSystem FromEnvironment()
    {
        var root = FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("OrdersMail.sln not found above the working directory or the program; run from the repository.");
        var data = Environment.GetEnvironmentVariable("ORDERSMAIL_DATA_DIR") is { Length: > 0 } set ? set : ".data";
        return At(root, Path.GetFullPath(data, root));
    }

    /// <summary>The system the deploy/local/up.sh of <paramref name="repositoryRoot"/> runs on <paramref name="dataDirectory"/>, at the environment's ports.</summary>
    public static LocalSystem At(string repositoryRoot, string dataDirectory) => new(repositoryRoot, dataDirectory);

    /// <summary>A service's base URL by its up.sh name.</summary>
    public Uri ServiceUrl(string service) => service switch
    {
        "orders-api" => OrdersApi,
        "inbox-provisioner" => InboxProvisioner,
        "inbound-router" => InboundRouter,
        "delivery-tracker" => DeliveryTracker,
        "mail-sandbox" => Sandbox,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not a program up.sh starts"),
    };

    /// <summary>The pid up.sh recorded for <paramref name="service"/>, if that process still lives.</summary>
    public int? ServicePid(string service) => LivePid(Path.Combine(DataDirectory, "run", $"{service}.pid"));

    /// <summary>Where up.sh records <paramref name="service"/>'s pid.</summary>
    public string ServicePidFile(string service) => Path.Combine(DataDirectory, "run", $"{service}.pid");

    /// <summary>The postmaster's pid.</summary>
    public int? PostgresPid() => LivePid(Path.Combine(DataDirectory, "postgres", "postmaster.pid"));

    /// <summary>RabbitMQ's beam.smp pid.</summary>
    public int? RabbitMqPid() => LivePid(Path.Combine(DataDirectory, "rabbitmq", "rabbitmq.pid"));

    /// <summary>True when the sandbox and every service answer <c>/health/ready</c> with 200.</summary>
    public async Task<bool> IsReadyAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        foreach (var service in Services.Prepend("mail-sandbox"))
        {
            if (!await IsReadyAsync(http, service))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="service"/> answers <c>/health/ready</c> with 200.</summary>
    public Task<bool> IsReadyAsync(HttpClient http, string service) => IsReadyAsync(http, ServiceUrl(service));

    /// <summary>True when the program at <paramref name="baseUrl"/> answers <c>/health/ready</c> with 200.</summary>
    public static async Task<bool> IsReadyAsync(HttpClient http, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync(new Uri(baseUrl, "health/ready"), cancel.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the system the way the README does (<c>deploy/local/up.sh --no-journey</c>, which reuses whatever already
    /// runs) unless every program is ready already. True when up.sh was run. When it fails or outlasts
    /// <paramref name="timeout"/>, the programs it started are stopped before this throws: the caller, told nothing was
    /// started, would leave them running.
    /// </summary>
    public async Task<bool> EnsureRunningAsync(HttpClient http, TimeSpan timeout)
    {
        if (await IsReadyAsync(http))
        {
            return false;
        }

        // up.sh leaves what runs already alone, and so does a failed start's clean-up.
        var runningBefore = ProgramPids();
        Console.WriteLine("starting the system: deploy/local/up.sh --no-journey");
        using var upSh = Process.Start(new ProcessStartInfo("bash", ["deploy/local/up.sh", "--no-journey"]) { WorkingDirectory = RepositoryRoot })
            ?? throw new InvalidOperationException("bash did not start");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await upSh.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            upSh.Kill(entireProcessTree: true);
            await StopAsync(StartedSince(runningBefore));
            throw new TimeoutException($"deploy/local/up.sh did not finish within {timeout}; the programs it started are stopped again");
        }

        if (upSh.ExitCode != 0 || !await IsReadyAsync(http))
        {
            await StopAsync(StartedSince(runningBefore));
            throw new InvalidOperationException(
                $"deploy/local/up.sh exited {upSh.ExitCode} and the system is not ready; its output above says why. The programs it started are stopped again");
        }

        return true;
    }

    /// <summary>
    /// Stops the sandbox, the four services and the trace viewer by their recorded pids, as deploy/local/down.sh does
    /// (SIGTERM, at most 20 s each), leaving PostgreSQL and RabbitMQ to whoever else uses them: for a caller that
    /// started the system. The trace viewer too, or a dashboard outlives the run that started it and holds its port.
    /// </summary>
    public Task StopProgramsAsync() => StopAsync(Programs);

    // Each program up.sh starts, by the name it records its pid under, and that pid while it lives.
    private Dictionary<string, int> ProgramPids() =>
        Programs.Select(p => (Program: p, Pid: ServicePid(p))).Where(p => p.Pid is not null).ToDictionary(p => p.Program, p => p.Pid!.Value);

    // The programs whose live pid is not one they had in runningBefore: started since, or started again.
    private List<string> StartedSince(Dictionary<string, int> runningBefore) =>
        [.. ProgramPids().Where(p => !runningBefore.TryGetValue(p.Key, out var before) || before != p.Value).Select(p => p.Key)];

    private async Task StopAsync(IEnumerable<string> programs)
    {
        foreach (var program in programs)
        {
            if (ServicePid(program) is not { } pid)
            {
                continue;
            }

            using var running = Process.GetProcessById(pid);
            using (var term = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await running.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                running.Kill();
            }

            File.Delete(ServicePidFile(program));
        }
    }

    private static int? LivePid(string pidFile)
    {
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault()?.Trim(), out var pid)
            || !Directory.Exists($"/proc/{pid}"))
        {
            return null;
        }

        return pid;
    }

    private static Uri Local(string portVariable, int fallback) =>
        new($"http://127.0.0.1:{Environment.GetEnvironmentVariable(portVariable) ?? fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrdersMail.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

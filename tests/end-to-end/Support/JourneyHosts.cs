extern alias ordersapi;
extern alias provisioner;
extern alias router;
extern alias tracker;

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.EndToEnd.Tests.Support;

/// <summary>
/// All four services in one test process on one broker and database server, with the sandbox as AgentMail, Resend and
/// Clerk over real HTTP: inbound-router and delivery-tracker on Kestrel (the sandbox posts its signed webhooks to them),
/// the mail outbox a folder orders-api writes and delivery-tracker relays. Every host exports its spans to <see cref="Spans"/>.
/// </summary>
public sealed class JourneyHosts : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), $"ordersmail-e2e-outbox-{Guid.NewGuid():N}");
    private readonly int _routerPort = FreePort();
    private readonly int _trackerPort = FreePort();

    /// <summary>The spans every host exported (one host's spans reach every host's exporter in one process: deduplicate by span id).</summary>
    public ExportedSpanCollection Spans { get; } = new();

    /// <summary>The database and broker.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox.</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>orders-api, in memory.</summary>
    public WebApplicationFactory<ordersapi::Program> OrdersApi { get; private set; } = null!;

    private List<IAsyncDisposable> Hosts { get; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync(resendRequestsPerSecond: 1000);
        var registered = await Sandbox.Http.PostAsJsonAsync("sandbox/resend/webhooks", new { url = $"http://127.0.0.1:{_trackerPort}/webhooks/resend" });
        registered.EnsureSuccessStatusCode();
        var resendSecret = (await registered.Content.ReadFromJsonAsync<JsonObject>())!["signing_secret"]!.GetValue<string>();

        Start(new Host<router::Program>(Infrastructure, Spans, new Dictionary<string, string?>
        {
            ["InboundRouter:Port"] = Port(_routerPort),
            ["InboundRouter:AgentMail:BaseUrl"] = Sandbox.AgentMailBaseUrl,
            ["InboundRouter:AgentMail:ApiKey"] = "am_e2e_router",
        }), _routerPort);
        Start(new Host<tracker::Program>(Infrastructure, Spans, new Dictionary<string, string?>
        {
            ["MailOutbox:Directory"] = _outbox,
            ["Resend:BaseUrl"] = Sandbox.ResendBaseUrl,
            ["Resend:RequestsPerSecond"] = "1000",
            ["Resend:WebhookSecret"] = resendSecret,
            ["DeliveryTracker:AgentMail:BaseUrl"] = Sandbox.AgentMailBaseUrl,
            ["Delivery:PendingPollInterval"] = "00:00:00.100",
        }), _trackerPort);
        var provisioner = Start(new Host<provisioner::Program>(Infrastructure, Spans, new Dictionary<string, string?>
        {
            ["InboxProvisioner:AgentMail:BaseUrl"] = Sandbox.AgentMailBaseUrl,
            ["InboxProvisioner:Provisioning:WebhookUrl"] = $"http://127.0.0.1:{_routerPort}/webhooks/agentmail",
        }), port: null);
        OrdersApi = Start(new Host<ordersapi::Program>(Infrastructure, Spans, new Dictionary<string, string?>
        {
            ["MailOutbox:Directory"] = _outbox,
            ["Clerk:JwksUrl"] = Sandbox.ClerkJwksUrl,
            ["Clerk:Issuer"] = Sandbox.ClerkIssuer,
            ["Clerk:AuthorizedParties:0"] = "http://localhost:3000",
        }), port: null);

        await WaitReadyAsync(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_routerPort}") }, "inbound-router");
        await WaitReadyAsync(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_trackerPort}") }, "delivery-tracker");
        await WaitReadyAsync(provisioner.CreateClient(), "inbox-provisioner");
        await WaitReadyAsync(OrdersApi.CreateClient(), "orders-api");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(Hosts))
        {
            await host.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitReadyAsync(HttpClient client, string name)
    {
        using (client)
        {
            await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, ReadyTimeout, $"{name} to report ready");
        }
    }

    private Host<TProgram> Start<TProgram>(Host<TProgram> host, int? port)
        where TProgram : class
    {
        Hosts.Add(host);
        if (port is { } kestrelPort)
        {
            host.UseKestrel(kestrelPort);
            host.StartServer();
        }

        return host;
    }

    /// <summary>A service, unchanged, with the test's settings and its spans exported to the journey's collection.</summary>
    private sealed class Host<TProgram>(TestInfrastructure infrastructure, ExportedSpanCollection spans, IReadOnlyDictionary<string, string?> settings)
        : ServiceHostFactory<TProgram>(infrastructure)
        where TProgram : class
    {
        protected override IReadOnlyDictionary<string, string?> Settings => settings;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(spans.ExportFrom);
        }
    }
}

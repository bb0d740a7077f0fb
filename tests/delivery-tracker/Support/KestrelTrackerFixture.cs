using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// delivery-tracker on a real loopback port, its Resend endpoint registered with the sandbox the way
/// deploy/local does it, so the sandbox's own Svix deliveries (with their faults) reach it over HTTP.
/// </summary>
public sealed class KestrelTrackerFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The database and broker of the class.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox standing in for Resend.</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>The tracker's tables.</summary>
    public TrackerDatabase Database => new(Infrastructure.Database);

    /// <summary>The tracker's Resend webhook, on its loopback port.</summary>
    public Uri WebhookUrl { get; private set; } = null!;

    private ServiceHostFactory<Program> Tracker { get; set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        var port = FreePort();
        WebhookUrl = new Uri($"http://127.0.0.1:{port}/webhooks/resend");
        var registered = await Sandbox.Http.PostAsJsonAsync("sandbox/resend/webhooks", new { url = WebhookUrl });
        registered.EnsureSuccessStatusCode();
        var secret = (await registered.Content.ReadFromJsonAsync<JsonObject>())!["signing_secret"]!.GetValue<string>();

        Tracker = new TrackerFactory(Infrastructure, secret);
        Tracker.UseKestrel(port);
        Tracker.StartServer();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, ReadyTimeout, "delivery-tracker to be ready");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Tracker is not null)
        {
            await Tracker.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

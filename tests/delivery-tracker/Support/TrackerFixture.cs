using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// A class fixture: a fresh database and vhost, the mail sandbox with two Resend webhook endpoints registered through
/// its control API (the tracker's, whose secret the tracker is given, and another one's, for cross-secret specs), and
/// delivery-tracker on them, ready.
/// </summary>
public sealed class TrackerFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The database and broker of the class.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox standing in for Resend.</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>The tracker's endpoint's signing secret.</summary>
    public string Secret { get; private set; } = null!;

    /// <summary>Another endpoint's signing secret: valid, but not the tracker's.</summary>
    public string OtherSecret { get; private set; } = null!;

    /// <summary>delivery-tracker.</summary>
    public TrackerFactory Tracker { get; private set; } = null!;

    /// <summary>A client of the tracker.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The tracker's tables.</summary>
    public TrackerDatabase Database => new(Infrastructure.Database);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        Secret = await RegisterEndpointAsync("http://127.0.0.1:5400/webhooks/resend");
        OtherSecret = await RegisterEndpointAsync("http://127.0.0.1:5999/webhooks/resend");
        Tracker = new TrackerFactory(Infrastructure, Secret);
        Client = Tracker.CreateClient();
        await Eventually.Until(() => Client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, ReadyTimeout, "delivery-tracker to be ready");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client?.Dispose();
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

    private async Task<string> RegisterEndpointAsync(string url)
    {
        var response = await Sandbox.Http.PostAsJsonAsync("sandbox/resend/webhooks", new { url });
        response.EnsureSuccessStatusCode();
        var endpoint = await response.Content.ReadFromJsonAsync<JsonObject>();
        return endpoint!["signing_secret"]!.GetValue<string>();
    }
}

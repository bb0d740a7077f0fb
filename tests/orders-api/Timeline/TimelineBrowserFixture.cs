using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>
/// orders-api on a real loopback port (Kestrel, not the in-memory test server: a browser needs a socket), beside the
/// sandbox on another port of the same host, so the <c>__session</c> cookie its sign-in sets goes to orders-api too;
/// and headless Chromium.
/// </summary>
public sealed class TimelineBrowserFixture : IAsyncLifetime
{
    private readonly Lazy<Task<(string OwnerId, PlayedOrder Order)>> _journey;
    private IPlaywright? _playwright;

    /// <summary>A fixture whose journey is played once, on first use.</summary>
    public TimelineBrowserFixture() => _journey = new(PlayJourneyAsync);

    /// <summary>The database and broker of the class.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox, whose Clerk signs the browser in.</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>orders-api.</summary>
    public OrdersApiFactory Api { get; private set; } = null!;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: <c>artifacts/timeline</c> beside the test assembly.</summary>
    public static string ArtifactsDirectory => Path.Combine(AppContext.BaseDirectory, "artifacts", "timeline");

    /// <summary>A client of orders-api signed in as <paramref name="userId"/> with a bearer token.</summary>
    public async Task<HttpClient> SignedInAsync(string userId)
    {
        var client = new HttpClient { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Sandbox.MintTokenAsync(userId));
        return client;
    }

    /// <summary>The customer's journey (<see cref="TimelineScenario"/>), played once for the class: its owner and order.</summary>
    internal Task<(string OwnerId, PlayedOrder Order)> JourneyAsync() => _journey.Value;

    /// <summary>A scenario acting for <paramref name="owner"/> (<paramref name="userId"/>) on this orders-api.</summary>
    internal TimelineScenario Scenario(HttpClient owner, string userId) => new(Api.Services, owner, userId);

    /// <summary>The sandbox's sign-in link for <paramref name="userId"/> that lands on <paramref name="orderId"/>'s page.</summary>
    public string SignInLink(string userId, Guid orderId) =>
        new Uri(Sandbox.BaseUrl, $"sandbox/clerk/sign-in?user_id={Uri.EscapeDataString(userId)}&redirect={Uri.EscapeDataString(new Uri(ApiUrl, $"orders/{orderId}").ToString())}").ToString();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        Api = new OrdersApiFactory(Infrastructure, Sandbox);
        Api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        Api.StartServer();
        var address = Api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        ApiUrl = new Uri(address);

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    private async Task<(string OwnerId, PlayedOrder Order)> PlayJourneyAsync()
    {
        var ownerId = $"user_{Guid.NewGuid():N}";
        using var owner = await SignedInAsync(ownerId);
        return (ownerId, await Scenario(owner, ownerId).PlayAsync());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }
}

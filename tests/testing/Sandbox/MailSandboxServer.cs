using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.Testing.Sandbox;

/// <summary>
/// The project's mail sandbox (AgentMail, Resend, Clerk) on a free loopback port, reached over real HTTP by
/// the services under test exactly as they would reach the real providers: only the base URL differs.
/// </summary>
public sealed class MailSandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MailSandboxServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client of the sandbox (no API key): control API, Clerk.</summary>
    public HttpClient Http { get; }

    /// <summary>Clerk's JWKS URL.</summary>
    public string ClerkJwksUrl => new Uri(BaseUrl, "clerk/.well-known/jwks.json").ToString();

    /// <summary>The <c>iss</c> of the tokens the sandbox mints.</summary>
    public string ClerkIssuer => new Uri(BaseUrl, "clerk").ToString();

    /// <summary>AgentMail's base URL (paths <c>/v0/...</c> below it).</summary>
    public string AgentMailBaseUrl => new Uri(BaseUrl, "agentmail").ToString();

    /// <summary>Resend's base URL.</summary>
    public string ResendBaseUrl => new Uri(BaseUrl, "resend").ToString();

    /// <summary>
    /// Starts a sandbox with Svix retries compressed <paramref name="retryCompression"/> times and Resend's rate limit at
    /// <paramref name="resendRequestsPerSecond"/> per key (Resend's own 5 by default; specs sending hundreds raise it),
    /// on <paramref name="clock"/> when given (the system's otherwise): a spec that moves it lets a day pass at Resend
    /// and AgentMail, whose idempotency keys then expire.
    /// </summary>
    public static async Task<MailSandboxServer> StartAsync(double retryCompression = 1000, int resendRequestsPerSecond = 5, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MailSandbox:WebhookRetryCompression"] = retryCompression.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MailSandbox:ResendRequestsPerSecond"] = resendRequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.AddMailSandbox();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapMailSandbox();
        await app.StartAsync();
        return new MailSandboxServer(app, new Uri(app.Urls.Single() + "/"));
    }

    /// <summary>
    /// Mints a Clerk session token for <paramref name="userId"/>; <paramref name="mode"/> asks for a bad one
    /// (<c>expired</c>, <c>not_yet_valid</c>, <c>pending</c>, <c>foreign_azp</c>, <c>foreign_key</c>, <c>no_sub</c>).
    /// </summary>
    public async Task<string> MintTokenAsync(string userId, string? mode = null, string? authorizedParty = null)
    {
        var response = await Http.PostAsJsonAsync("clerk/tokens", new Dictionary<string, string?>
        {
            ["user_id"] = userId,
            ["mode"] = mode,
            ["azp"] = authorizedParty,
        }.Where(p => p.Value is not null).ToDictionary());
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["jwt"]!.GetValue<string>();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

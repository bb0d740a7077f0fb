using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrdersMail.Testing.Http;
using OrdersMail.Testing.Logging;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>
/// A mail sandbox of its own on a loopback port (Resend's rate limit raised out of the way; the specs about 429 inject it),
/// and a <see cref="ResendClient"/> built the way the service builds it (<see cref="ResendRegistration.AddResendClient"/>
/// over configuration) pointing at it, with the delays shrunk so retry specs run fast. Requests on the wire, log lines
/// and metrics are observable.
/// </summary>
public sealed class ResendHarness : IAsyncDisposable
{
    /// <summary>The meter the specs' host names for the client's metric.</summary>
    public const string MeterName = "ordersmail-resend-specs";

    private ResendHarness(MailSandboxServer sandbox, ServiceProvider services, RecordedRequests requests, CapturedLogs logs)
    {
        Sandbox = sandbox;
        Services = services;
        Requests = requests;
        Logs = logs;
    }

    /// <summary>The sandbox the client talks to.</summary>
    public MailSandboxServer Sandbox { get; }

    /// <summary>The container the client was resolved from.</summary>
    public ServiceProvider Services { get; }

    /// <summary>Each attempt that reached the network.</summary>
    public RecordedRequests Requests { get; }

    /// <summary>What the client logged.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The client under test.</summary>
    public ResendClient Client => Services.GetRequiredService<ResendClient>();

    /// <summary>
    /// Fast retries, a breaker that stays out of the way, and the default attempt timeout: a fresh sandbox on a loaded
    /// 2-core machine can take seconds to answer its first request; the specs about hung attempts set their own.
    /// </summary>
    private static Dictionary<string, string?> FastSettings() => new()
    {
        [$"{ResendOptions.Section}:ApiKey"] = "re_test_key",
        [$"{ResendOptions.Section}:MaxRetries"] = "3",
        [$"{ResendOptions.Section}:RetryBaseDelay"] = "00:00:00.010",
        [$"{ResendOptions.Section}:MaxRetryAfter"] = "00:00:05",
        [$"{ResendOptions.Section}:BreakerMinimumThroughput"] = "1000",
        [$"{ResendOptions.Section}:RequestsPerSecond"] = "100000",
    };

    /// <summary>Starts a sandbox and a client for it.</summary>
    /// <param name="overrides">Changes to <see cref="FastSettings"/>, keyed below the section (<c>MaxRetries</c>...).</param>
    /// <param name="answerRewriter">A handler between the client and the wire, to reshape the sandbox's answers.</param>
    /// <param name="sandboxRequestsPerSecond">The sandbox's Resend rate limit (lifted unless a spec is about it).</param>
    public static async Task<ResendHarness> StartAsync(
        IReadOnlyDictionary<string, string>? overrides = null, Func<DelegatingHandler>? answerRewriter = null, int sandboxRequestsPerSecond = 100_000)
    {
        var sandbox = await MailSandboxServer.StartAsync(resendRequestsPerSecond: sandboxRequestsPerSecond);
        var settings = FastSettings();
        settings[$"{ResendOptions.Section}:BaseUrl"] = sandbox.ResendBaseUrl;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[$"{ResendOptions.Section}:{key}"] = value;
        }

        var requests = new RecordedRequests();
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddResendClient(MeterName);
        var client = services.AddHttpClient<ResendClient>().AddHttpMessageHandler(requests.Handler);
        if (answerRewriter is not null)
        {
            client.AddHttpMessageHandler(answerRewriter);
        }

        return new ResendHarness(sandbox, services.BuildServiceProvider(), requests, logs);
    }

    /// <summary>A plain-text email with a subject of its own.</summary>
    public static ResendEmail NewEmail(string? subject = null) => new()
    {
        From = "OrdersMail <orders@ordersmail.local>",
        To = ["jane@example.com"],
        Subject = subject ?? $"Your order {Guid.NewGuid():N}",
        Text = "Thank you for your order.",
    };

    /// <summary>A fresh idempotency key.</summary>
    public static string NewKey() => $"ordersmail-email-{Guid.NewGuid():N}";

    /// <summary>Adds a fault rule (snake_case members, as <c>POST /sandbox/faults</c> takes them).</summary>
    public async Task AddFaultAsync(object rule) => (await Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule)).EnsureSuccessStatusCode();

    /// <summary>
    /// One call through the client under test, for a spec that times its own call to make first: a fresh sandbox's
    /// first answer and the client's first resolution take seconds on a loaded 2-core machine, which its stopwatch
    /// would count. It is a batch of one email of a subject of its own: one <c>POST /emails/batch</c>, recorded, that
    /// no count of sends (<c>POST /emails</c>) and no count of an email's subject includes.
    /// </summary>
    public async Task WarmUpAsync() => await Client.SendBatchAsync(ResendClient.BatchBody([NewEmail()]), 1, NewKey(), default);

    /// <summary>Removes every fault rule.</summary>
    public async Task ClearFaultsAsync() => (await Sandbox.Http.DeleteAsync("sandbox/faults")).EnsureSuccessStatusCode();

    /// <summary>How many emails the sandbox's Resend accepted with <paramref name="subject"/>: what was really sent.</summary>
    public async Task<int> SendsOfAsync(string subject)
    {
        var emails = await Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/resend/emails");
        return emails!["data"]!.AsArray().Count(e => e!["subject"]?.GetValue<string>() == subject);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

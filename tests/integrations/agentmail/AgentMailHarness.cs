using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrdersMail.Testing.Http;
using OrdersMail.Testing.Logging;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// A mail sandbox of its own on a loopback port, and an <see cref="AgentMailClient"/> built the way the service builds
/// it (<see cref="AgentMailRegistration.AddAgentMailClient"/> over configuration) pointing at it, with the delays shrunk
/// so retry specs run fast. Requests on the wire, log lines and metrics are observable.
/// </summary>
public sealed class AgentMailHarness : IAsyncDisposable
{
    /// <summary>The configuration section the specs' host names for the client.</summary>
    public const string Section = "Specs:AgentMail";

    /// <summary>The meter the specs' host names for the client's metric.</summary>
    public const string MeterName = "ordersmail-agentmail-specs";

    private AgentMailHarness(MailSandboxServer sandbox, ServiceProvider services, RecordedRequests requests, CapturedLogs logs)
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
    public AgentMailClient Client => Services.GetRequiredService<AgentMailClient>();

    /// <summary>
    /// The settings every spec starts from: fast retries, a breaker that stays out of the way, and the default attempt
    /// timeout, because a fresh sandbox on a loaded 2-core machine can take over 2 s to answer its first request (which a
    /// shorter timeout turns into a retry the spec did not ask for); the specs about hung attempts set their own.
    /// </summary>
    private static Dictionary<string, string?> FastSettings() => new()
    {
        [$"{Section}:ApiKey"] = "am_test_key",
        [$"{Section}:MaxRetries"] = "3",
        [$"{Section}:RetryBaseDelay"] = "00:00:00.010",
        [$"{Section}:MaxRetryAfter"] = "00:00:05",
        [$"{Section}:BreakerMinimumThroughput"] = "1000",
    };

    /// <summary>Starts a sandbox and a client for it.</summary>
    /// <param name="overrides">Changes to <see cref="FastSettings"/>, keyed below the section (<c>MaxRetries</c>...).</param>
    /// <param name="answerRewriter">A handler between the client and the wire, to reshape the sandbox's answers.</param>
    public static async Task<AgentMailHarness> StartAsync(IReadOnlyDictionary<string, string>? overrides = null, Func<DelegatingHandler>? answerRewriter = null)
    {
        var sandbox = await MailSandboxServer.StartAsync();
        var settings = FastSettings();
        settings[$"{Section}:BaseUrl"] = sandbox.AgentMailBaseUrl;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[$"{Section}:{key}"] = value;
        }

        var requests = new RecordedRequests();
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddAgentMailClient(Section, MeterName);
        var client = services.AddHttpClient<AgentMailClient>().AddHttpMessageHandler(requests.Handler);
        if (answerRewriter is not null)
        {
            client.AddHttpMessageHandler(answerRewriter);
        }

        return new AgentMailHarness(sandbox, services.BuildServiceProvider(), requests, logs);
    }

    /// <summary>Adds a fault rule (snake_case members, as <c>POST /sandbox/faults</c> takes them).</summary>
    public async Task AddFaultAsync(object rule)
    {
        var response = await Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What the sandbox's AgentMail answers to <c>GET {BaseUrl}/<paramref name="path"/></c>, read past the client under test.</summary>
    public Task<JsonElement> ReadDirectlyAsync(string path) => SendDirectlyAsync(HttpMethod.Get, path, body: null);

    /// <summary>
    /// Creates an inbox past the client under test and gives its id. A spec of a short <c>AttemptTimeout</c> needs an
    /// inbox before its own call: made by its client, it would be a fresh sandbox's first answer, which on a loaded
    /// 2-core machine can take over 2 s and be retried; made here it is unrecorded and waits up to the sandbox
    /// client's 15 s.
    /// </summary>
    public async Task<string> CreateInboxDirectlyAsync() =>
        (await SendDirectlyAsync(HttpMethod.Post, "v0/inboxes", body: new { })).GetProperty("inbox_id").GetString()!;

    /// <summary>
    /// One call through the client under test, for a spec that times its own call to make first: a fresh sandbox's
    /// first answer and the client's first resolution take seconds on a loaded 2-core machine, which its stopwatch
    /// would count. It reads an inbox that does not exist: one GET, recorded, that no count of creates includes.
    /// </summary>
    public async Task WarmUpAsync() => await Client.GetInboxAsync("warm-up@agentmail.to", default);

    /// <summary>Removes every fault rule.</summary>
    public async Task ClearFaultsAsync() => (await Sandbox.Http.DeleteAsync("sandbox/faults")).EnsureSuccessStatusCode();

    /// <summary>A fresh create for a unique username and client id.</summary>
    public static CreateInbox NewInbox(string? username = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var name = username ?? $"cust-{Guid.NewGuid():N}"[..20];
        return new CreateInbox(name, "Acme Orders", $"inbox-{name}", metadata ?? new Dictionary<string, string>());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private async Task<JsonElement> SendDirectlyAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, $"agentmail/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "am_test_key");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Sandbox.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

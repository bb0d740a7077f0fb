using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrdersMail.Testing.Http;

/// <summary>
/// A real HTTP endpoint on a free loopback port that records every webhook POSTed to it (headers and raw
/// body) and answers with the statuses a test plans (200 once the plan is used up).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _plannedStatuses = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The receiver's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Everything received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Starts a receiver.</summary>
    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Urls.Single());
        return receiver;
    }

    /// <summary>A URL under the receiver, e.g. <c>Url("/agentmail")</c>.</summary>
    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>Answers the next requests with these statuses, in order.</summary>
    public void Plan(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _plannedStatuses.Enqueue(status);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests matching <paramref name="match"/> have arrived.</summary>
    /// <exception cref="TimeoutException">They did not arrive within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout, Func<ReceivedWebhook, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var matching = Received.Where(r => match is null || match(r)).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {count} webhook(s); {matching.Count} matching of {_received.Count} arrived.");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.Enqueue(new ReceivedWebhook(context.Request.Path, headers, body, DateTimeOffset.UtcNow));
        _arrived.Release();
        context.Response.StatusCode = _plannedStatuses.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
    }
}

/// <summary>One request the receiver got.</summary>
/// <param name="Path">The path it was POSTed to.</param>
/// <param name="Headers">Its headers, names lower-cased.</param>
/// <param name="Body">The raw body, exactly as sent.</param>
/// <param name="At">When it arrived.</param>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    /// <summary>The <c>svix-id</c> header.</summary>
    public string SvixId => Headers["svix-id"];
}

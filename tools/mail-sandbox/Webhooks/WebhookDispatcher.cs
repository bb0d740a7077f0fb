using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;

namespace OrdersMail.MailSandbox.Webhooks;

/// <summary>
/// Delivers webhook events the way Svix does: POST with <c>svix-id</c> (stable), <c>svix-timestamp</c> (fresh per
/// attempt) and <c>svix-signature</c>; a 2xx within the attempt timeout is success, anything else is retried on
/// Svix's schedule (compressed by <see cref="SandboxOptions.WebhookRetryCompression"/>). Every attempt is recorded.
/// Delivery faults (<c>webhooks.deliver</c>): duplicate deliveries and out-of-order release. Each attempt carries the
/// <c>traceparent</c> of the request that raised the event.
/// </summary>
public sealed partial class WebhookDispatcher(
    IHttpClientFactory httpClients,
    FaultRegistry faults,
    IOptions<SandboxOptions> options,
    ILogger<WebhookDispatcher> logger) : IDisposable
{
    /// <summary>The named HttpClient deliveries use.</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>The delivery fault operation name.</summary>
    public const string DeliverOperation = "webhooks.deliver";

    /// <summary>Svix's schedule: the first attempt at once, then retries after these delays.</summary>
    public static readonly IReadOnlyList<TimeSpan> Schedule =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    private const string TraceParentHeader = "traceparent";
    private const int KeptResponseChars = 500;

    // Per API, so a busy API (Resend's delivery events during an order storm) never pushes the other's attempts out.
    private readonly ConcurrentDictionary<string, AttemptLog> _attempts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<WebhookMessage>> _held = [];
    private CancellationTokenSource _generation = new();

    /// <summary>Queues a message for delivery and returns at once; delivery and retries run in the background.</summary>
    public void Dispatch(WebhookMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Raised while handling a request (a send, a reply, an injected message): the webhook continues its trace.
        if (message.TraceParent is null && Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
        {
            message = message with { TraceParent = current.Id };
        }

        var rules = faults.Take(message.Api, DeliverOperation, r => r.Duplicate || r.ReorderWindowMs is not null);
        var duplicating = rules.FirstOrDefault(r => r.Duplicate && r.AppliesNow());
        if (duplicating is not null)
        {
            faults.CountApplied(duplicating.Id);
        }

        var copies = duplicating is null ? 1 : 2;
        var reordering = rules.Where(r => r.ReorderWindowMs is not null).ToList();
        var window = reordering.Select(r => r.ReorderWindowMs!.Value).DefaultIfEmpty(-1).Max();
        var shuffle = reordering.Any(r => r.Shuffle);

        for (var i = 0; i < copies; i++)
        {
            if (window >= 0)
            {
                Hold(message, TimeSpan.FromMilliseconds(window), shuffle);
            }
            else
            {
                _ = Start(message);
            }
        }
    }

    /// <summary>The attempts made so far, oldest first, optionally for one API, endpoint or message.</summary>
    public IReadOnlyList<WebhookAttempt> Attempts(string? api = null, string? endpointId = null, string? svixId = null, string? eventType = null) =>
        [.. LogsOf(api).SelectMany(log => log.Kept).Where(a =>
            (endpointId is null || a.EndpointId == endpointId) &&
            (svixId is null || a.SvixId == svixId) &&
            (eventType is null || a.EventType == eventType)).OrderBy(a => a.At)];

    /// <summary>
    /// How many attempts were made since the start or the last reset, optionally for one API, including those no longer
    /// kept (each API keeps its last <see cref="SandboxOptions.KeptWebhookAttempts"/>): a count that only grows.
    /// </summary>
    public long Recorded(string? api = null) => LogsOf(api).Sum(log => Interlocked.Read(ref log.Recorded));

    /// <summary>Forgets every attempt and cancels every delivery still pending or retrying.</summary>
    public void Reset()
    {
        CancellationTokenSource old;
        lock (_lock)
        {
            old = _generation;
            _generation = new CancellationTokenSource();
            _held.Clear();
        }

        old.Cancel();
        old.Dispose();
        _attempts.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _generation.Cancel();
        _generation.Dispose();
    }

    private void Hold(WebhookMessage message, TimeSpan window, bool shuffle)
    {
        CancellationToken token;
        lock (_lock)
        {
            token = _generation.Token;
            if (_held.TryGetValue(message.Api, out var held))
            {
                held.Add(message);
                return;
            }

            _held[message.Api] = [message];
        }

        _ = ReleaseHeldAsync(message.Api, window, shuffle, token);
    }

    private async Task ReleaseHeldAsync(string api, TimeSpan window, bool shuffle, CancellationToken token)
    {
        await Task.Delay(window, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        List<WebhookMessage>? held;
        lock (_lock)
        {
            if (token.IsCancellationRequested || !_held.Remove(api, out held))
            {
                return;
            }
        }

        // Newest first, or shuffled: the orders a receiver must cope with when nothing guarantees one. Each first
        // attempt is awaited before the next starts, so the receiver really sees them in this order.
        held.Reverse();
        if (shuffle)
        {
            var order = held.ToArray();
            Random.Shared.Shuffle(order);
            held = [.. order];
        }

        foreach (var message in held)
        {
            await Start(message);
        }
    }

    /// <summary>Starts delivering; the task completes when the first attempt has been answered (or failed).</summary>
    private Task Start(WebhookMessage message)
    {
        CancellationToken token;
        lock (_lock)
        {
            token = _generation.Token;
        }

        var firstAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = DeliverAsync(message, firstAttempt, token);
        return firstAttempt.Task;
    }

    private async Task DeliverAsync(WebhookMessage message, TaskCompletionSource firstAttempt, CancellationToken token)
    {
        try
        {
            await DeliverAllAttemptsAsync(message, firstAttempt, token);
        }
        finally
        {
            firstAttempt.TrySetResult();
        }
    }

    private async Task DeliverAllAttemptsAsync(WebhookMessage message, TaskCompletionSource firstAttempt, CancellationToken token)
    {
        var compression = Math.Max(1, options.Value.WebhookRetryCompression);
        for (var attempt = 1; attempt <= Schedule.Count && !token.IsCancellationRequested; attempt++)
        {
            var delay = Schedule[attempt - 1] / compression;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (token.IsCancellationRequested)
                {
                    return;
                }
            }

            var result = await AttemptAsync(message, attempt, token);
            if (token.IsCancellationRequested)
            {
                return;
            }

            Record(result);
            firstAttempt.TrySetResult();
            if (result.Succeeded)
            {
                return;
            }
        }

        LogGaveUp(logger, message.SvixId, message.Url, Schedule.Count);
    }

    private async Task<WebhookAttempt> AttemptAsync(WebhookMessage message, int attempt, CancellationToken token)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = SvixSignature.Sign(message.Secret, message.SvixId, timestamp, message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url)
        {
            Content = new StringContent(message.Body, System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in message.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Add(SvixSignature.Headers.IdHeaderKey, message.SvixId);
        request.Headers.Add(SvixSignature.Headers.TimestampHeaderKey, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SvixSignature.Headers.SignatureHeaderKey, signature);
        if (message.TraceParent is { } traceParent)
        {
            // Set before the HttpClient's own propagation, which leaves a header already there alone.
            request.Headers.Remove(TraceParentHeader);
            request.Headers.TryAddWithoutValidation(TraceParentHeader, traceParent);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(options.Value.WebhookAttemptTimeout);
        var clock = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        string? answer = null;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            answer = text.Length > KeptResponseChars ? text[..KeptResponseChars] : text;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            error = $"no answer within {options.Value.WebhookAttemptTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        catch (OperationCanceledException)
        {
            error = "cancelled (sandbox reset or stopping)";
        }

        return new WebhookAttempt(
            message.Api, message.EndpointId, message.Url, message.SvixId, message.EventType, attempt, timestamp, signature,
            message.Body, status, error, answer, clock.Elapsed.TotalMilliseconds, DateTimeOffset.UtcNow, message.TraceParent);
    }

    private void Record(WebhookAttempt attempt)
    {
        var log = _attempts.GetOrAdd(attempt.Api, _ => new AttemptLog());
        log.Kept.Enqueue(attempt);
        Interlocked.Increment(ref log.Recorded);
        while (log.Kept.Count > options.Value.KeptWebhookAttempts)
        {
            log.Kept.TryDequeue(out _);
        }
    }

    private IEnumerable<AttemptLog> LogsOf(string? api) =>
        api is null ? _attempts.Values : _attempts.TryGetValue(api, out var log) ? [log] : [];

    private sealed class AttemptLog
    {
        public readonly ConcurrentQueue<WebhookAttempt> Kept = new();
        public long Recorded;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {SvixId} to {Url} failed {Attempts} attempts; giving up as Svix would")]
    private static partial void LogGaveUp(ILogger logger, string svixId, string url, int attempts);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrdersMail.Load;

/// <summary>
/// The ingress benchmark's load: signed <c>message.received</c> deliveries, each with its own <c>svix-id</c> and
/// <c>event_id</c>, signed before the clock starts (the client's HMAC is not the server's cost), posted closed-loop or at a
/// fixed rate. Latency at a fixed rate is measured from each request's scheduled start, so a stalled server is not hidden
/// by requests that were never sent (coordinated omission).
/// </summary>
public sealed class IngressLoad(HttpClient http, string inboxId, string secret)
{
    private static readonly string[] Labels = ["received", "unread"];

    /// <summary>One signed delivery.</summary>
    public sealed record Delivery(byte[] Body, string SvixId, string Timestamp, string Signature);

    /// <summary>Signs <paramref name="count"/> deliveries for the run <paramref name="runId"/> (ids <c>msg_{runId}_{i}</c>).</summary>
    public IReadOnlyList<Delivery> Sign(string runId, int count)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var svixId = $"msg_{runId}_{i}";
            var body = Body(inboxId, $"evt_{runId}_{i}");
            var signed = Encoding.UTF8.GetBytes($"{svixId}.{timestamp}.").Concat(body).ToArray();
            return new Delivery(body, svixId, timestamp, "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        })];
    }

    /// <summary>Posts every delivery, <paramref name="concurrency"/> at a time; latencies in ms and the count of non-2xx answers.</summary>
    public async Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)> ClosedLoopAsync(Uri url, IReadOnlyList<Delivery> deliveries, int concurrency)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Count)
            {
                var started = Stopwatch.GetTimestamp();
                if (await PostAsync(url, deliveries[i]))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return ([.. latencies.Order()], failures, clock.Elapsed);
    }

    /// <summary>Starts one delivery every 1/<paramref name="rate"/> s, whatever the answers; latency from each one's scheduled start.</summary>
    public async Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)> FixedRateAsync(Uri url, IReadOnlyList<Delivery> deliveries, int rate)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var inFlight = new List<Task>(deliveries.Count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < deliveries.Count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var delivery = deliveries[i];
            inFlight.Add(Task.Run(async () =>
            {
                if (await PostAsync(url, delivery))
                {
                    latencies.Add((Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        return ([.. latencies.Order()], failures, Stopwatch.GetElapsedTime(start));
    }

    private async Task<bool> PostAsync(Uri url, Delivery delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("svix-id", delivery.SvixId);
        request.Headers.TryAddWithoutValidation("svix-timestamp", delivery.Timestamp);
        request.Headers.TryAddWithoutValidation("svix-signature", delivery.Signature);
        try
        {
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    // A customer's email as AgentMail delivers it: about 1.5 KB, the size of a short question with its headers.
    private static byte[] Body(string inboxId, string eventId) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["type"] = "event",
        ["event_type"] = "message.received",
        ["event_id"] = eventId,
        ["message"] = new Dictionary<string, object>
        {
            ["inbox_id"] = inboxId,
            ["thread_id"] = Guid.NewGuid().ToString(),
            ["message_id"] = $"<{Guid.NewGuid():N}@acme.example>",
            ["labels"] = Labels,
            ["timestamp"] = DateTimeOffset.UtcNow,
            ["from"] = "Jane Buyer <jane@acme.example>",
            ["to"] = new[] { inboxId },
            ["subject"] = "Where is my order?",
            ["text"] = string.Concat(Enumerable.Repeat("My order has not arrived yet; could you tell me when it will? ", 16)),
            ["size"] = 1500,
            ["created_at"] = DateTimeOffset.UtcNow,
            ["updated_at"] = DateTimeOffset.UtcNow,
        },
    });
}

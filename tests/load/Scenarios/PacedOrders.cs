using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Orders placed at a steady pace while something else breaks the system, as a client would place them: each POST
/// sent once with its own Idempotency-Key and its answer kept; afterwards every order that was not accepted is sent
/// again with the same key, so one committed although its answer was lost is returned (200), not placed twice.
/// </summary>
public sealed class PacedOrders(ScenarioContext context, string runId, IReadOnlyList<string> tokens, int customers)
{
    private readonly ConcurrentDictionary<int, string> _notAccepted = new();
    private readonly ConcurrentDictionary<int, StormOrder> _accepted = new();
    private readonly ConcurrentDictionary<string, int> _firstAnswers = new();
    private int _placed;

    /// <summary>The orders accepted so far, first attempts and retries.</summary>
    public IReadOnlyList<StormOrder> Accepted => [.. _accepted.Values];

    /// <summary>How many POSTs were sent first (one per order).</summary>
    public int Placed => _placed;

    /// <summary>Every first attempt's answer (<c>201</c>, <c>503</c>, <c>no answer</c>...) and how often it came.</summary>
    public IReadOnlyDictionary<string, int> FirstAnswers => _firstAnswers;

    /// <summary>The orders not accepted at their first attempt, with that attempt's answer.</summary>
    public IReadOnlyDictionary<int, string> NotAccepted => _notAccepted;

    /// <summary>POSTs <paramref name="rate"/> orders a second, at most <paramref name="maxOrders"/>, until <paramref name="stop"/>; returns when every POST sent has its answer.</summary>
    public async Task PlaceAsync(double rate, int maxOrders, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        for (var i = 0; i < maxOrders && !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var index = i;
            Interlocked.Increment(ref _placed);
            inFlight.Add(Task.Run(async () =>
            {
                var answer = await PostAsync(index);
                _firstAnswers.AddOrUpdate(answer, 1, (_, n) => n + 1);
                if (answer != "201")
                {
                    _notAccepted[index] = answer;
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// Sends every order not accepted at its first attempt again with its key, up to <paramref name="attempts"/> times
    /// 2 s apart; the answers of the last attempts, by answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> RetryNotAcceptedAsync(int attempts)
    {
        var last = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(_notAccepted.Keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, cancel) =>
        {
            var answer = "";
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                answer = await PostAsync(index);
                if (answer is "200" or "201")
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cancel);
            }

            last.AddOrUpdate(answer, 1, (_, n) => n + 1);
        });
        return last;
    }

    /// <summary>POSTs order <paramref name="index"/>; its answer's status code, or <c>no answer</c> / <c>timed out</c>.</summary>
    private async Task<string> PostAsync(int index)
    {
        var customer = index % customers;
        using var request = OrderStorm.OrderRequest(context, runId, index, customer, tokens[customer]);
        var postedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        try
        {
            using var response = await context.Http.SendAsync(request);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                var order = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                _accepted.TryAdd(index, new StormOrder(order["id"]!.GetValue<Guid>(), order["order_ref"]!.GetValue<string>(), customer, postedAt));
            }

            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            // Refused or reset: orders-api was down (killed and not back yet).
            return "no answer";
        }
        catch (TaskCanceledException)
        {
            return "timed out";
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>The <c>resend.client.requests</c> counter: one per send (not per attempt), tagged with its outcome.</summary>
public sealed class ResendMetrics_Specs
{
    [Fact]
    public async Task Should_count_each_send_once_by_outcome()
    {
        await using var resend = await ResendHarness.StartAsync(new Dictionary<string, string> { ["MaxRetries"] = "1" });
        using var listener = Listen(resend.Services.GetRequiredService<IMeterFactory>(), out var counted);
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 503, retry_after_seconds = 0, times = 1 });

        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);
        await Assert.ThrowsAsync<ResendException>(() => resend.Client.SendAsync(ResendHarness.NewEmail() with { To = ["not an address"] }, ResendHarness.NewKey(), default));
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 500, retry_after_seconds = 0, times = 2 });
        await Assert.ThrowsAsync<ResendUnavailableException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.Equal([ResendMetrics.Rejected, ResendMetrics.Success, ResendMetrics.Unavailable], counted.Order(StringComparer.Ordinal));
        Assert.Equal(5, resend.Requests.All.Count);
    }

    [Fact]
    public async Task Should_count_a_quota_refusal_and_each_send_refused_during_its_pause()
    {
        await using var resend = await ResendHarness.StartAsync();
        using var listener = Listen(resend.Services.GetRequiredService<IMeterFactory>(), out var counted);
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 429, error_name = "daily_quota_exceeded", times = 1 });

        await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
        await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.Equal([ResendMetrics.QuotaExceeded, ResendMetrics.QuotaExceeded], counted);
        Assert.Single(resend.Requests.All);
    }

    private static MeterListener Listen(IMeterFactory meters, out ConcurrentBag<string> counted)
    {
        var seen = new ConcurrentBag<string>();
        var listener = new MeterListener
        {
            // Only this container's meter: other specs count on their own in parallel.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == ResendMetrics.Requests && instrument.Meter.Name == ResendHarness.MeterName && instrument.Meter.Scope == meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var outcome = tags.ToArray().Single(t => t.Key == "outcome").Value!.ToString()!;
            for (var i = 0; i < value; i++)
            {
                seen.Add(outcome);
            }
        });
        listener.Start();
        counted = seen;
        return listener;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>The <c>agentmail.client.requests</c> counter: one per call, tagged with its operation and outcome.</summary>
public sealed class AgentMailMetrics_Specs
{
    [Fact]
    public async Task Should_count_each_call_once_by_operation_and_outcome()
    {
        await using var agentMail = await AgentMailHarness.StartAsync();
        using var calls = Listen(agentMail.Services.GetRequiredService<IMeterFactory>(), out var counted);
        var create = AgentMailHarness.NewInbox();
        await agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = 503, retry_after_seconds = 0, times = 1 });

        await agentMail.Client.CreateInboxAsync(create, default);
        await agentMail.Client.GetInboxAsync("nobody@agentmail.to", default);
        await Assert.ThrowsAsync<AgentMailException>(() => agentMail.Client.CreateInboxAsync(create with { ClientId = "another-client-id" }, default));
        await agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.GetWebhook, error_status = 500 });
        await Assert.ThrowsAsync<AgentMailUnavailableException>(() => agentMail.Client.GetWebhookAsync("ep_missing", default));

        Assert.Equal(
            ["inboxes.create/rejected", "inboxes.create/success", "inboxes.get/not_found", "webhooks.get/transient_status"],
            counted.Order(StringComparer.Ordinal));
    }

    private static MeterListener Listen(IMeterFactory meters, out ConcurrentBag<string> counted)
    {
        var seen = new ConcurrentBag<string>();
        var listener = new MeterListener
        {
            // Only this container's meter: other specs count on their own in parallel.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == AgentMailMetrics.Requests && instrument.Meter.Name == AgentMailHarness.MeterName && instrument.Meter.Scope == meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            for (var i = 0; i < value; i++)
            {
                seen.Add($"{tagged["operation"]}/{tagged["outcome"]}");
            }
        });
        listener.Start();
        counted = seen;
        return listener;
    }
}

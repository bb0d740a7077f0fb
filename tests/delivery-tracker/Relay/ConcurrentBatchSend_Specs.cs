using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Integrations.Resend;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// Two relays send the same Resend batch again at once: a batch retried after a transient answer has its members'
/// files looked at by whichever relay claims each, and each relay sends the batch under its one Idempotency-Key.
/// The relay Resend answers 409 concurrent_idempotent_requests counts no attempt and fails nothing, so the other
/// relay's accepted send is recorded sent; and one round of an outage is counted once, whichever relay sent it.
/// </summary>
public sealed class ConcurrentBatchSend_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_record_the_batch_sent_when_another_relay_meets_its_send_in_flight_on_the_last_attempt()
    {
        var patient = new Dictionary<string, string?> { ["Resend:AttemptTimeout"] = "00:00:30", ["Resend:MaxRetries"] = "0" };
        using var first = new RelayHost(fixture, patient);
        using var second = new RelayHost(fixture, patient);
        _ = first.Server;
        _ = second.Server;
        var (batchId, emailIds, subject) = await SeedBatchAsync("In flight elsewhere", attempts: 7);
        await AddFaultAsync(new { api = "resend", operation = "emails.batch", answer_delay_ms = 8_000, times = 1 });

        var sending = first.Services.GetRequiredService<ResendBatcher>().ResendAsync(batchId, emailIds[0], CancellationToken.None);
        await Eventually.Until(() => fixture.SendsOfAsync(subject(0)), sends => sends == 1, Patience, "Resend to have taken the first relay's send");
        var meeting = await second.Services.GetRequiredService<ResendBatcher>().ResendAsync(batchId, emailIds[1], CancellationToken.None);
        var sent = await sending;

        var rows = await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where batch_id = @batchId", new { batchId });
        Assert.Equal([("sent", 8), ("sent", 8)], rows);
        Assert.IsType<BatchResult.LookAgain>(meeting);
        Assert.True(Assert.IsType<BatchResult.Accepted>(sent).Recorded, "the first relay recorded what Resend accepted");
        Assert.Equal(1, await fixture.SendsOfAsync(subject(1)));
    }

    [Fact]
    public async Task Should_count_one_round_of_an_outage_once_when_two_relays_send_the_batch()
    {
        // Resend takes the first relay's send and never answers it; the second's, with the same key, meets it in flight.
        // The sandbox holds the key until the first relay gives up, so the first waits 10 s: the second's send, started
        // once the first is hanging, reaches Resend within that however busy the machine. The second is answered 409 at
        // once; 2 s bounds it should it not be.
        var hang = await AddFaultAsync(new { api = "resend", operation = "emails.batch", hang = true, times = 1 });
        using var first = new RelayHost(fixture, Unanswered(TimeSpan.FromSeconds(10)));
        using var second = new RelayHost(fixture, Unanswered(TimeSpan.FromSeconds(2)));
        _ = first.Server;
        _ = second.Server;
        var (batchId, emailIds, _) = await SeedBatchAsync("Outage round", attempts: 2);

        var sending = first.Services.GetRequiredService<ResendBatcher>().ResendAsync(batchId, emailIds[0], CancellationToken.None);
        await Eventually.Until(() => FaultInForceAsync(hang), inForce => !inForce, Patience, "the first relay's send to hang at Resend (the fault, used once, gone)");
        var results = await Task.WhenAll(sending, second.Services.GetRequiredService<ResendBatcher>().ResendAsync(batchId, emailIds[1], CancellationToken.None));

        Assert.All(results, r => Assert.IsType<BatchResult.LookAgain>(r));
        var rows = await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where batch_id = @batchId", new { batchId });
        Assert.Equal([("pending", 3), ("pending", 3)], rows);
    }

    private static Dictionary<string, string?> Unanswered(TimeSpan attemptTimeout) => new()
    {
        ["Resend:AttemptTimeout"] = attemptTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Resend:MaxRetries"] = "0",
    };

    // Two emails of one batch that failed transiently before, due again now, as a retried batch's rows are.
    private async Task<(Guid BatchId, Guid[] EmailIds, Func<int, string> Subject)> SeedBatchAsync(string words, int attempts)
    {
        var batchId = Guid.CreateVersion7();
        var emailIds = new[] { Guid.NewGuid(), Guid.NewGuid() };
        string Subject(int i) => $"{words} {emailIds[i]:N}";
        var body = ResendClient.BatchBody([.. emailIds.Select((_, i) => new ResendEmail
        {
            From = "OrdersMail <orders@ordersmail.local>",
            To = ["jane@example.com"],
            Subject = Subject(i),
            Text = "Thank you for your order.",
        })]);
        await fixture.QueryAsync<int>(
            """
            insert into resend_batches (batch_id, email_ids, body) values (@batchId, @emailIds, @body);
            insert into outbound_emails (email_id, provider, recipients, subject, file_name, attempts, next_attempt_at, batch_id)
            select e.id, 'resend', array['jane@example.com'], @words, '20250101T000000000Z-' || e.id || '.json', @attempts, now() - interval '1 second', @batchId
            from unnest(@emailIds) as e (id);
            select 1;
            """,
            new { batchId, emailIds, body, words, attempts });
        return (batchId, emailIds, Subject);
    }

    // The rule's id, to tell when it is used up.
    private async Task<string> AddFaultAsync(object rule)
    {
        using var response = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
        var added = await response.Content.ReadFromJsonAsync<JsonObject>();
        return added!["id"]!.GetValue<string>();
    }

    // A rule of times = 1 is gone once a request took it: that request is past the sandbox's in-flight key check.
    private async Task<bool> FaultInForceAsync(string id)
    {
        var listed = await fixture.Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults");
        return listed!["faults"]!.AsArray().Any(f => f!["id"]!.GetValue<string>() == id);
    }
}

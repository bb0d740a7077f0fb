using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Logging;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// Resend answering 503 or 429 for a while: the email stays pending, counted, and is sent exactly once after recovery.
/// Past its last attempt it goes to failed/, logged.
/// </summary>
public sealed class Outage_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly CapturedLogs _logs = new();

    /// <inheritdoc />
    public void Dispose() => _logs.Dispose();

    /// <summary>Twelve failed answers outlast the client's own retries, so the relay's pending state and backoff carry it.</summary>
    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Should_send_once_after_the_provider_recovers(int status)
    {
        using var faults = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.*", error_status = status, retry_after_seconds = 0, times = 12 });
        faults.EnsureSuccessStatusCode();
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var subject = $"Outage {status} {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/ after the outage");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        var row = Assert.Single(await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal("sent", row.State);
        Assert.True(row.Attempts > 1, $"the relay itself retried (attempts {row.Attempts})");
    }

    /// <summary>
    /// Resend unavailable past an email's last attempt, sent alone (a lone email while the rate leaves room) or as a
    /// member of a batch (one request a second leaves no token spare, so every email is one): each file moved to
    /// failed/ is logged once at Warning naming it, its email and order, within its order's trace. They went with
    /// only ordersmail.relay.failed counted, which ops alert on, and nothing in the log naming the emails or why.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_log_each_email_given_up_after_its_last_attempt_once_at_warning_in_its_orders_trace(bool batched)
    {
        using var relay = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:MaxRetries"] = "0",
            ["Resend:RequestsPerSecond"] = batched ? "1" : "100000",
            ["DeliveryTracker:Relay:MaxAttempts"] = "2",
            ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.500",
        });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        var run = Guid.NewGuid().ToString("N")[..8];
        var emails = Enumerable.Range(0, batched ? 2 : 1).Select(_ => TracedEmail.New(run)).ToList();

        await fixture.WithFaultAsync(new { api = "resend", operation = "emails.*", error_status = 503, retry_after_seconds = 0 }, async () =>
        {
            _ = host.Server;
            emails.ForEach(e => fixture.Drop(e.Name, e.Json($"Given up {e.EmailId:N}")));
            foreach (var email in emails)
            {
                Assert.Equal("failed", await fixture.UntilSettledAsync(email.Name, Patience));
            }
        });

        foreach (var email in emails)
        {
            await fixture.AssertGaveUpAsync(email.EmailId, email.Name, 2, "503");
            var logged = Assert.Single(_logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains(email.EmailId.ToString(), StringComparison.Ordinal));
            Assert.Equal(typeof(OutboxFileProcessor).FullName, logged.Category);
            Assert.Equal(email.TraceId.ToString(), logged.TraceId);
            Assert.Contains(email.Name, logged.Message, StringComparison.Ordinal);
            Assert.Contains(email.OrderRef, logged.Message, StringComparison.Ordinal);
        }

        if (batched)
        {
            var batches = await fixture.QueryAsync<Guid[]>("select email_ids from resend_batches where @id = any(email_ids)", new { id = emails[0].EmailId });
            Assert.Contains(batches, ids => ids.Contains(emails[1].EmailId));
        }
    }
}

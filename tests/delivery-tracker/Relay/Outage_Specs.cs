using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Logging;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// Resend or AgentMail answering 503 or 429 for a while: the email stays pending, counted, and is sent exactly once after
/// recovery. An outage outlasting its attempts does not spend its last one while it is younger than
/// <c>OutagePatience</c>; past that it goes to failed/, logged.
/// </summary>
public sealed class Outage_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Three attempts against twenty failed answers, with short waits: the outage outlasts the attempts in seconds.
    private static readonly Dictionary<string, string?> Outlasted = new()
    {
        ["DeliveryTracker:Relay:MaxAttempts"] = "3",
        ["DeliveryTracker:Relay:RetryBaseDelay"] = "00:00:00.100",
        ["DeliveryTracker:Relay:RetryMaxDelay"] = "00:00:00.400",
    };

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
    /// Resend answering 503 twenty times, more than an email's three attempts (the client retrying none), sent alone
    /// (a lone email while the rate leaves room) or as a member of a batch (one request a second leaves no token spare):
    /// an outage does not spend the email's last attempt while it is younger than <c>OutagePatience</c>, so it is sent
    /// once, when Resend answers again, its wait logged at Warning once, not at each retry. Each went to failed/ at its
    /// third 503 (a four-minute outage at the default settings), for ops to send again by hand.
    /// </summary>
    [Theory]
    [InlineData(false, 20)]
    [InlineData(true, 8)]
    public async Task Should_send_once_after_an_outage_longer_than_its_attempts(bool batched, int answers)
    {
        using var relay = new RelayHost(fixture, new Dictionary<string, string?>(Outlasted)
        {
            ["Resend:MaxRetries"] = "0",
            ["Resend:RequestsPerSecond"] = batched ? "1" : "100000",
        });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        var emailId = Guid.NewGuid();
        var subject = $"Outlasted {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";

        await fixture.WithFaultAsync(new { api = "resend", operation = batched ? "emails.batch" : "emails.*", error_status = 503, retry_after_seconds = 0, times = answers }, async () =>
        {
            _ = host.Server;
            fixture.Drop(name, RelayFixture.Email(subject, emailId));
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        });

        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        await AssertSentAfterTheOutageAsync(emailId, name, answers);
    }

    /// <summary>
    /// AgentMail answering an agent reply 503 twenty times, more than its three attempts: the reply waits the outage
    /// out within <c>OutagePatience</c> and reaches the customer's thread once. It went to failed/ at its third 503.
    /// </summary>
    [Fact]
    public async Task Should_send_an_agent_reply_once_after_an_outage_longer_than_its_attempts()
    {
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        using var relay = new RelayHost(fixture, new Dictionary<string, string?>(Outlasted) { ["DeliveryTracker:AgentMail:MaxRetries"] = "0" });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";

        await fixture.WithFaultAsync(new { api = "agentmail", operation = "messages.reply", error_status = 503, retry_after_seconds = 0, times = 20 }, async () =>
        {
            _ = host.Server;
            fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        });

        Assert.Single(await fixture.RepliesToAsync(inboxId, messageId));
        await AssertSentAfterTheOutageAsync(emailId, name, 20);
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

            // The outage counts at once: past its patience, an email's last attempt is spent as any other.
            ["DeliveryTracker:Relay:OutagePatience"] = "00:00:00",
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

    // Every failed answer was an attempt, counted as made (the row's attempts are the sends, past MaxAttempts), and
    // the email's file was named at Warning at most once an attempt it could spend: each counted one, then once as it
    // began to wait the outage out (a batch's line names the batch), never at each retry after.
    private async Task AssertSentAfterTheOutageAsync(Guid emailId, string name, int answers)
    {
        var row = Assert.Single(await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal("sent", row.State);
        Assert.True(row.Attempts > answers, $"every send counted (attempts {row.Attempts})");
        var warnings = _logs.Records.Count(r => r.Level >= LogLevel.Warning && r.Message.Contains(name, StringComparison.Ordinal));
        Assert.True(warnings <= 3, $"{name} named at Warning {warnings} times, more than its three attempts");
        Assert.Single(_logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains("last attempt", StringComparison.Ordinal) && r.Message.Contains("while the outage lasts", StringComparison.Ordinal));
    }
}

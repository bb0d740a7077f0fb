using System.Net;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Logging;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// The relay's database refusing every connection for a while (connections to it turned off and its sessions ended, as
/// a server restarting or failing over looks to the relay) with files waiting: the relay logs the outage once, claims
/// no file but a probe now and then, is not ready, and sends each file once when the database is back. Each file was
/// claimed, read, failed, logged at Error with its stack trace and given back every <c>RetryBaseDelay</c> for the whole
/// outage: a thousand files and ten minutes down were a few hundred thousand Errors. A probe whose file never asked the
/// database (claimed first by another relay, or still being written) says nothing of it and ends no outage.
/// </summary>
public sealed class DatabaseOutage_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>, IDisposable
{
    private const int Files = 20;
    private const string DatabaseAway = "ordersmail.relay.database_away";
    private const string OutageCategory = "OrdersMail.DeliveryTracker.Relay.DatabaseOutage";

    // The fixture's RetryBaseDelay is 0.5 s: the old relay claimed each file about ten times in it, the probes come
    // after 0.5, 1, 2, 4 and 8 s at most.
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Longer than the fixture's SettleTime (1 s) and a few of its 0.5 s scans: what a probe set off has happened.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    private readonly CapturedLogs _logs = new();

    /// <inheritdoc />
    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task When_the_database_refuses_connections_Should_claim_only_probes_log_it_once_and_send_each_file_once_when_it_is_back()
    {
        using var relay = new RelayHost(fixture, new Dictionary<string, string?> { [$"Logging:LogLevel:{OutageCategory}"] = "Information" });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        using var client = host.CreateClient();
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, Patience, "the tracker to report ready");
        using var instruments = new RelayInstruments(host.Services);
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, Files).Select(i => $"20250101T000000000Z-{run}-{i}.json").ToList();

        await RefuseConnectionsAsync(refuse: true);
        try
        {
            names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Database {run} {name}")));
            await Task.Delay(Outage);

            // No email picked up while the database is away (a probe's claim is not a pick-up); the outage logged once, not each file.
            Assert.Empty(instruments.Recorded(RelayMetrics.PickupLatency));
            var relayLogs = RelayLogs();
            Assert.DoesNotContain(relayLogs, r => r.Level >= LogLevel.Error);
            Assert.Single(relayLogs, r => r.Category == OutageCategory && r.Level == LogLevel.Warning);
            Assert.InRange(relayLogs.Count(r => r.Level == LogLevel.Warning), 1, 4);
            Assert.Equal(1, instruments.Observe(DatabaseAway));
            using var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Sent).Concat(RelayFixture.Files(fixture.Outbox.Failed)), n => n.Contains(run, StringComparison.Ordinal));
        }
        finally
        {
            await RefuseConnectionsAsync(refuse: false);
        }

        foreach (var name in names)
        {
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
            Assert.Equal(1, await fixture.SendsOfAsync($"Database {run} {name}"));
        }

        Assert.Single(RelayLogs(), r => r.Category == OutageCategory && r.Level == LogLevel.Information);
        Assert.Equal(0, instruments.Observe(DatabaseAway));
        Assert.Equal(Files, instruments.Recorded(RelayMetrics.PickupLatency).Count);
    }

    /// <summary>
    /// A Resend webhook the database cannot take is answered 503 for Resend to send again, and counted as the router
    /// counts AgentMail's (unavailable, database): it counted nothing and left its span without an outcome, so an outage
    /// was invisible on ordersmail.delivery.webhooks.
    /// </summary>
    [Fact]
    public async Task When_a_resend_webhook_comes_while_the_database_is_away_Should_answer_503_and_count_it_unavailable()
    {
        var secret = $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:WebhookSecret"] = secret });
        using var client = host.CreateClient();
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, Patience, "the tracker to report ready");
        using var webhooks = new RelayInstruments(host.Services, DeliveryTelemetry.Webhooks);

        await RefuseConnectionsAsync(refuse: true);
        try
        {
            using var answer = await client.SendAsync(ResendWebhooks.Sign(ResendWebhooks.Event("email.delivered", $"re_{Guid.NewGuid():N}", DateTimeOffset.UtcNow), secret));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.NotNull(answer.Headers.RetryAfter);
        }
        finally
        {
            await RefuseConnectionsAsync(refuse: false);
        }

        Assert.Equal(1, webhooks.Counted(DeliveryTelemetry.Webhooks, "outcome=unavailable,provider=resend,reason=database"));
    }

    // A careless writer's file still half-written: released unread, it never reached the database. The relay took it
    // for an answer, logged "answers again", let every worker at the database still away and began a new outage.
    [Fact]
    public async Task When_the_probe_is_a_file_still_being_written_Should_not_end_the_outage()
    {
        await ProbeWithoutTheDatabaseAsync((run, _, _) =>
        {
            fixture.Drop($"20250101T000000000Z-{run}-unsettled.json", "{\"to\": \"still writ"u8.ToArray());
            return Task.CompletedTask;
        });
    }

    // Another relay sharing the outbox claims the probe's file between its notification and the claim, as two relays
    // racing for one file do: the probe found nothing to ask the database about.
    [Fact]
    public async Task When_another_relay_claims_the_probes_file_first_Should_not_end_the_outage()
    {
        await ProbeWithoutTheDatabaseAsync(async (run, other, outage) =>
        {
            // Three races, each at a probe due: the relay's notification is far slower than this claim, but may win one.
            for (var i = 0; i < 3; i++)
            {
                await UntilProbeDueAsync(outage);
                var name = $"20250101T000000000Z-{run}-raced-{i}.json";
                fixture.Drop(name, RelayFixture.Email($"Probe {run} raced {i}"));
                other.TryClaim(name);
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        });
    }

    private static async Task UntilProbeDueAsync(DatabaseOutage outage) =>
        await Eventually.Until(() => Task.FromResult(outage.Holding), holding => !holding, Patience, "a probe to be due");

    // The outage begun by a first file, which a second relay on the outbox then holds: the next probe is the file
    // `probe` drops. Whatever it does, the outage goes on (logged once, the gauge at 1), and the files the second relay
    // gives back then meet the database still away without a second one begun.
    private async Task ProbeWithoutTheDatabaseAsync(Func<string, ClaimArea, DatabaseOutage, Task> probe)
    {
        using var relay = new RelayHost(fixture, new Dictionary<string, string?> { [$"Logging:LogLevel:{OutageCategory}"] = "Information" });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        using var client = host.CreateClient();
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, Patience, "the tracker to report ready");
        using var instruments = new RelayInstruments(host.Services);
        var outage = host.Services.GetRequiredService<DatabaseOutage>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var first = $"20250101T000000000Z-{run}-first.json";
        var other = new ClaimArea(fixture.Outbox);
        other.Open();
        var lease = new Timer(_ => other.RenewLease(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        await RefuseConnectionsAsync(refuse: true);
        try
        {
            fixture.Drop(first, RelayFixture.Email($"Probe {run} first"));
            await Eventually.Until(() => Task.FromResult(OutageLogs(LogLevel.Warning)), n => n == 1, Patience, "the outage to begin");
            await Eventually.Until(() => Task.FromResult(other.TryClaim(first)), claimed => claimed, Patience, "the second relay to claim the first file");
            await UntilProbeDueAsync(outage);

            await probe(run, other, outage);
            await Task.Delay(Quiet);

            Assert.Equal(0, OutageLogs(LogLevel.Information));
            Assert.Equal(1, instruments.Observe(DatabaseAway));
            foreach (var path in Directory.EnumerateFiles(other.Mine, "*.json"))
            {
                other.Release(Path.GetFileName(path));
            }

            await Task.Delay(Quiet);
            Assert.Equal(0, OutageLogs(LogLevel.Information));
            Assert.Equal(1, OutageLogs(LogLevel.Warning));
            Assert.Equal(1, instruments.Observe(DatabaseAway));
        }
        finally
        {
            await lease.DisposeAsync();
            foreach (var path in Directory.EnumerateFiles(other.Mine, "*.json"))
            {
                other.Release(Path.GetFileName(path));
            }

            Directory.Delete(other.Mine, recursive: true);
            await RefuseConnectionsAsync(refuse: false);
        }

        Assert.Equal("sent", await fixture.UntilSettledAsync(first, Patience));
        Assert.Equal(1, await fixture.SendsOfAsync($"Probe {run} first"));
    }

    private int OutageLogs(LogLevel level) => _logs.Records.Count(r => r.Category == OutageCategory && r.Level == level);

    private List<CapturedLog> RelayLogs() => [.. _logs.Records.Where(r => r.Category.StartsWith(typeof(OutboxRelay).Namespace!, StringComparison.Ordinal))];

    // From the server's maintenance database: the class's own takes no connection meanwhile, and the tracker's open
    // ones are ended, so its pooled connections break as a restart's would.
    private async Task RefuseConnectionsAsync(bool refuse)
    {
        var database = new NpgsqlConnectionStringBuilder(fixture.Infrastructure.Database.ConnectionString);
        var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"alter database {database.Database} with allow_connections {(refuse ? "false" : "true")}");
        if (refuse)
        {
            await connection.ExecuteAsync("select pg_terminate_backend(pid) from pg_stat_activity where datname = @name", new { name = database.Database });
        }
    }
}

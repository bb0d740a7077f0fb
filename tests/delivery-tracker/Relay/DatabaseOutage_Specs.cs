using System.Net;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
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
/// outage: a thousand files and ten minutes down were a few hundred thousand Errors.
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

            // At most each file once as the outage began, then one probe at a time; the outage logged once, not each file.
            Assert.InRange(instruments.Recorded(RelayMetrics.PickupLatency).Count, 1, Files + 8);
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
    }

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

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// A long AgentMail outage with many sagas in flight takes no more of the database than the provisioner is configured
/// to: the step consumers' concurrency caps the connections (and customer locks) they hold while AgentMail does not
/// answer, so the saga, the sweeper and the readiness check still get theirs.
/// </summary>
public sealed class OutageConnections_Specs(ConnectionCapFixture fixture) : FaultInjectingSpecs<ConnectionCapFixture>(fixture), IClassFixture<ConnectionCapFixture>
{
    private const int Sagas = 50;

    // Past two sweeps (StepTimeout 4 s), so resumed steps are sampled too.
    private static readonly TimeSpan SampleFor = TimeSpan.FromSeconds(10);

    /// <summary>50 sagas through a 503 outage: the provisioner's connections in use and its customer locks stay within the configured limits, and it stays ready.</summary>
    [Fact]
    public async Task Should_hold_no_more_connections_than_configured_through_an_outage_and_stay_ready()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        var orders = Enumerable.Range(0, Sagas).Select(_ => ProvisionerFixture.Order(ProvisionerFixture.NewUser())).ToList();
        await Task.WhenAll(orders.Select(Fixture.PublishAsync));

        var (peakInUse, peakLocks) = await SampleDuringOutageAsync();

        Assert.True(peakInUse <= ConnectionCapFixture.ConnectionBudget, $"the provisioner had {peakInUse} connections in use; it is configured for at most {ConnectionCapFixture.ConnectionBudget}");
        Assert.InRange(peakLocks, 1, ConnectionCapFixture.StepConcurrency);
        Assert.DoesNotContain(Fixture.Outcomes.Ready, r => orders.Any(o => o.OrderId == r.OrderId));

        await Fixture.AgentMail.ClearFaultsAsync();
        foreach (var order in orders)
        {
            await Fixture.Outcomes.ReadyAsync(order.OrderId);
        }
    }

    // Samples the test database's connections every 100 ms: the provisioner's that are not idle in its pool (running a
    // statement, or in a transaction, as a step holding its customer's lock is), and the customer locks held or awaited.
    // Each round also asks for readiness, which must stay 200.
    private async Task<(int PeakInUse, int PeakLocks)> SampleDuringOutageAsync()
    {
        await using var connection = await Fixture.Infrastructure.Database.OpenConnectionAsync();
        var (peakInUse, peakLocks) = (0, 0);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SampleFor)
        {
            var (inUse, locks) = await connection.QuerySingleAsync<(int InUse, int Locks)>(
                """
                select (select count(*)::int from pg_stat_activity
                        where datname = current_database() and application_name = 'inbox-provisioner' and state <> 'idle'),
                       (select count(*)::int from pg_locks l join pg_stat_activity a on a.pid = l.pid
                        where l.locktype = 'advisory' and a.datname = current_database())
                """);
            (peakInUse, peakLocks) = (Math.Max(peakInUse, inUse), Math.Max(peakLocks, locks));
            using var ready = await Fixture.Client.GetAsync(HealthEndpoints.ReadyPath);
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/health/ready answered {(int)ready.StatusCode} during the outage: {await ready.Content.ReadAsStringAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return (peakInUse, peakLocks);
    }
}

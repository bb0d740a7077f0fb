using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// No database connection is held while AgentMail is called: through an outage with many sagas in flight, or while
/// AgentMail answers slowly, the provisioner keeps no connection out of its pool doing nothing, the customers' leases stay
/// within the step consumers' concurrency, and the saga, the sweeper and the readiness check get their connections.
/// </summary>
public sealed class OutageConnections_Specs(ConnectionCapFixture fixture) : FaultInjectingSpecs<ConnectionCapFixture>(fixture), IClassFixture<ConnectionCapFixture>
{
    private const int Sagas = 50;

    // Past two sweeps (StepTimeout 4 s), so resumed steps are sampled too.
    private static readonly TimeSpan SampleFor = TimeSpan.FromSeconds(10);

    /// <summary>50 sagas through a 503 outage: no connection held, customer leases within the configured concurrency, and it stays ready.</summary>
    [Fact]
    public async Task Should_hold_no_connection_through_an_outage_and_stay_ready()
    {
        // Each refusal comes after 300 ms, as from a gateway that gave up: a step holds its customer's lease at least that
        // long, so the sampler (a round every 100 ms and more) sees the leases; refused at once, a step's lease lived for
        // a few milliseconds, and a sample once saw none in 10 s.
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0, ["latency_ms"] = 300 });
        var orders = Enumerable.Range(0, Sagas).Select(_ => ProvisionerFixture.Order(ProvisionerFixture.NewUser())).ToList();
        await Task.WhenAll(orders.Select(Fixture.PublishAsync));

        var sample = await SampleAsync(SampleFor);

        Assert.Equal(0, sample.PeakHeld);
        Assert.InRange(sample.PeakLeases, 1, ConnectionCapFixture.StepConcurrency);
        Assert.DoesNotContain(Fixture.Outcomes.Ready, r => orders.Any(o => o.OrderId == r.OrderId));

        await Fixture.AgentMail.ClearFaultsAsync();
        foreach (var order in orders)
        {
            await Fixture.Outcomes.ReadyAsync(order.OrderId);
        }
    }

    /// <summary>
    /// Every AgentMail call takes 1.5 s: while the steps wait for AgentMail under their customers' leases, none of the
    /// provisioner's connections is held out of its pool (a step used to hold one, locked, for the whole call).
    /// </summary>
    [Fact]
    public async Task Should_hold_no_connection_while_AgentMail_answers_slowly()
    {
        await Fixture.AgentMail.FaultAsync("*", new JsonObject { ["latency_ms"] = 1500 });
        var orders = Enumerable.Range(0, 4).Select(_ => ProvisionerFixture.Order(ProvisionerFixture.NewUser())).ToList();
        await Task.WhenAll(orders.Select(Fixture.PublishAsync));

        var sample = await SampleAsync(TimeSpan.FromSeconds(6));

        Assert.True(sample.PeakLeases >= 1, "no step held a lease while sampling: the spec saw no AgentMail call in flight");
        Assert.Equal(0, sample.PeakHeld);

        await Fixture.AgentMail.ClearFaultsAsync();
        foreach (var order in orders)
        {
            await Fixture.Outcomes.ReadyAsync(order.OrderId);
        }
    }

    // Samples the test database every 100 ms or so: the provisioner's connections idle for more than a second (a step
    // holding one across a 1.5 s AgentMail call looks so, in a transaction or not, with a lock or not; the saga's own
    // statements are far quicker), and the customers' live leases. To the server a connection idle in the pool looks
    // the same, so each round closes the pool's idle connections (Clear; one out of the pool then is closed when it
    // comes back) and the next round looks only at those idle since before that Clear: they were out of the pool all
    // along. A backend whose connection Clear closed can still be listed for a moment after, on busy cores, so a
    // connection counts as held only when two rounds in a row see it idle since the same moment. Each round also asks
    // for readiness, which must stay 200.
    private async Task<(int PeakHeld, int PeakLeases)> SampleAsync(TimeSpan duration)
    {
        var pool = Fixture.Provisioner!.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await Fixture.Infrastructure.Database.OpenConnectionAsync();
        var (peakHeld, peakLeases) = (0, 0);
        var idleBefore = new HashSet<(int Pid, DateTime Since)>();
        var clearedAt = DateTime.UtcNow;
        pool.Clear();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var idle = (await connection.QueryAsync<(int Pid, DateTime Since)>(
                """
                select pid, state_change from pg_stat_activity
                where datname = current_database() and application_name = 'inbox-provisioner'
                  and state like 'idle%' and state_change < least(now() - interval '1 second', @clearedAt)
                """,
                new { clearedAt })).ToHashSet();
            var leases = await connection.ExecuteScalarAsync<int>("select count(*)::int from provisioning.customer_leases where expires_at > now()");
            (clearedAt, peakHeld, peakLeases) = (DateTime.UtcNow, Math.Max(peakHeld, idle.Count(idleBefore.Contains)), Math.Max(peakLeases, leases));
            idleBefore = idle;
            pool.Clear();
            using var ready = await Fixture.Client.GetAsync(HealthEndpoints.ReadyPath);
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/health/ready answered {(int)ready.StatusCode} during the sample: {await ready.Content.ReadAsStringAsync()}");
        }

        return (peakHeld, peakLeases);
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// How much work the servers did, counted rather than timed: PostgreSQL's commits (<c>pg_stat_database</c>, every
/// database) and write-ahead log (<c>pg_stat_wal</c>), and the broker's publishes and deliveries (management API).
/// CPU per order on this shared machine moves by a third between identical runs; these counts move only when the
/// code's work per order does, so a change is judged by them first and by CPU second.
/// </summary>
/// <param name="Commits">Transactions committed, read-only ones included (the scenario's own polling among them).</param>
/// <param name="WalRecords">Write-ahead log records written: every row version, index entry and commit record.</param>
/// <param name="WalBytes">Write-ahead log bytes written.</param>
/// <param name="Publishes">Messages published to the broker, every exchange.</param>
/// <param name="Deliveries">Messages delivered to consumers (and fetched with basic.get).</param>
public sealed record WorkCounters(long Commits, long WalRecords, long WalBytes, long Publishes, long Deliveries)
{
    // The broker refreshes its statistics every 5 s (collect_statistics_interval): counts unchanged for longer than
    // that are the broker's real totals, not a snapshot still catching up.
    private static readonly TimeSpan BrokerRefresh = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads the counters once the broker's statistics have caught up: polls each second until its publishes and
    /// deliveries have stayed the same for longer than a refresh, for at most 30 s. Past that (something kept
    /// publishing, or a busy machine slowed the broker's statistics) it reads them anyway and says so.
    /// </summary>
    public static async Task<(WorkCounters Counters, bool Settled)> ReadSettledAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (publishes, deliveries) = await BrokerAsync(context);
        var unchangedSince = clock.Elapsed;
        while (clock.Elapsed - unchangedSince < BrokerRefresh && clock.Elapsed < SettleTimeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = await BrokerAsync(context);
            if (current != (publishes, deliveries))
            {
                (publishes, deliveries) = current;
                unchangedSince = clock.Elapsed;
            }
        }

        await using var connection = await context.Database.OpenConnectionAsync();
        var (commits, walRecords, walBytes) = await connection.QuerySingleAsync<(long, long, long)>(
            "select (select sum(xact_commit)::bigint from pg_stat_database), wal_records, wal_bytes::bigint from pg_stat_wal");
        return (new WorkCounters(commits, walRecords, walBytes, publishes, deliveries), clock.Elapsed - unchangedSince >= BrokerRefresh);
    }

    /// <summary>
    /// Reports each counter's growth from <paramref name="before"/> to <paramref name="after"/> per
    /// <paramref name="unit"/> (an order, an email), with a note when the broker's counts had not settled.
    /// </summary>
    public static void Report(
        ScenarioReport report, string scenario, string unit, int units,
        (WorkCounters Counters, bool Settled) before, (WorkCounters Counters, bool Settled) after)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (b, a) = (before.Counters, after.Counters);
        if (!before.Settled || !after.Settled)
        {
            report.Note($"{scenario}: the broker's counts still moved after {SettleTimeout.TotalSeconds:0} s; publishes and deliveries per {unit} may be off by what was in flight");
        }

        double Per(long growth) => (double)growth / Math.Max(1, units);
        report.Measured(scenario, $"PostgreSQL commits per {unit} (the scenario's reads included)", Per(a.Commits - b.Commits), "commits");
        report.Measured(scenario, $"PostgreSQL WAL records per {unit}", Per(a.WalRecords - b.WalRecords), "records");
        report.Measured(scenario, $"PostgreSQL WAL per {unit}", Per(a.WalBytes - b.WalBytes) / 1024, "KB");
        report.Measured(scenario, $"broker publishes per {unit}", Per(a.Publishes - b.Publishes), "messages");
        report.Measured(scenario, $"broker deliveries per {unit}", Per(a.Deliveries - b.Deliveries), "messages");
    }

    private static async Task<(long Publishes, long Deliveries)> BrokerAsync(ScenarioContext context)
    {
        var stats = (await SideEffects.ManagementAsync(context, "api/overview"))["message_stats"];
        return (Count(stats, "publish"), Count(stats, "deliver_get"));
    }

    private static long Count(JsonNode? stats, string name) => stats?[name]?.GetValue<long>() ?? 0;
}

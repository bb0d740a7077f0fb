using Dapper;
using Npgsql;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// What the services set aside for a person in the database, which no retry will do: each schema's outbox rows
/// dead-lettered (an event never published) and the router's received emails set aside (an email never routed nor
/// parked). Like <see cref="DeadLetters"/>, a run may leave none behind that it did not find.
/// </summary>
public static class SetAsideWork
{
    /// <summary>Rows set aside per table, as <c>schema.table</c>; null when the database does not answer.</summary>
    public static async Task<IReadOnlyDictionary<string, long>?> CountAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await using var connection = await context.Database.OpenConnectionAsync();
            var counts = new Dictionary<string, long>();
            var outboxes = await connection.QueryAsync<string>(
                "select table_schema from information_schema.tables where table_name = 'outbox_messages' order by table_schema");
            foreach (var schema in outboxes)
            {
                counts[$"{schema}.outbox_messages dead letters"] = await connection.ExecuteScalarAsync<long>(
                    $"select count(*) from \"{schema}\".outbox_messages where dead_lettered_at is not null");
            }

            if (await connection.ExecuteScalarAsync<bool>("select to_regclass('inbound.received_events') is not null"))
            {
                counts["inbound.received_events set aside"] = await connection.ExecuteScalarAsync<long>(
                    "select count(*) from inbound.received_events where claimed_until = 'infinity'");
            }

            return counts;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Checks that no table holds more set-aside rows than at <paramref name="before"/>, naming those that do.</summary>
    public static async Task CheckNoneAddedAsync(ScenarioContext context, IReadOnlyDictionary<string, long>? before, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string invariant = "nothing set aside for a person (outbox dead letters, set-aside received emails as at the start)";
        if (before is null || await CountAsync(context) is not { } after)
        {
            report.Check(DeadLetters.Name, invariant, false, "not checked: the database did not answer at the start or the end of the run");
            return;
        }

        DeadLetters.CheckNoneGrew(report, invariant, before, after, "tables");
    }
}

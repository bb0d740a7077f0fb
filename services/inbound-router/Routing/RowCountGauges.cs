using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// A gauge of rows waiting for ops. The count is read from the table whenever it can change (rows added or taken
/// back, the list read) and when the pump starts, rather than in the metrics callback, which must not wait on a database.
/// </summary>
public abstract class RowCountGauge
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _countSql;
    private long _count;

    /// <summary>Creates the gauge <paramref name="name"/> on the service's meter, counted by <paramref name="countSql"/>.</summary>
    protected RowCountGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry, string name, string description, string countSql)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _dataSource = dataSource;
        _countSql = countSql;
        telemetry.Meter.CreateObservableGauge(name, () => Interlocked.Read(ref _count), description: description);
    }

    /// <summary>
    /// Reads the count again. Every caller reads it after work of its own (a batch committed, a list read, a row given
    /// back), which must not fail for a metric: a database that does not answer leaves the last count, until the next
    /// change or start reads it.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            Interlocked.Exchange(ref _count, await connection.ExecuteScalarAsync<long>(new CommandDefinition(_countSql, cancellationToken: cancellationToken)));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Kept as it was: see above.
        }
    }
}

/// <summary><c>ordersmail.inbound.parked</c>: messages parked and not routed again yet (<see cref="ParkedMessages"/>).</summary>
public sealed class ParkedGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry) : RowCountGauge(
    dataSource, telemetry, "ordersmail.inbound.parked", "Inbound messages parked and not re-routed yet",
    "select count(*) from parked_messages where routed_at is null");

/// <summary>
/// <c>ordersmail.inbound.set_aside</c>: received emails routing can never decide and verified events the ingress cannot
/// read (<see cref="SetAsideEmails"/>).
/// </summary>
public sealed class SetAsideGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry) : RowCountGauge(
    dataSource, telemetry, "ordersmail.inbound.set_aside", "Received emails and verified events set aside for a person, neither routed, parked nor handed on",
    "select count(*) from received_events where claimed_until = 'infinity'");

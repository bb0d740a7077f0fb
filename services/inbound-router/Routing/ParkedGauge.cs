using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// <c>ordersmail.inbound.parked</c>: messages waiting for ops. The count is read from the table whenever it can change
/// (a message parked or re-routed, the list read) rather than in the metrics callback, which must not wait on a database.
/// </summary>
public sealed class ParkedGauge
{
    private readonly NpgsqlDataSource _dataSource;
    private long _count;

    /// <summary>Creates the gauge on the service's meter.</summary>
    public ParkedGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _dataSource = dataSource;
        telemetry.Meter.CreateObservableGauge("ordersmail.inbound.parked", () => Interlocked.Read(ref _count), description: "Inbound messages parked and not re-routed yet");
    }

    /// <summary>Reads the count again.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        Interlocked.Exchange(ref _count, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from parked_messages where routed_at is null", cancellationToken: cancellationToken)));
    }
}

using Dapper;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// A gauge of rows waiting for ops. The count is read from the table rather than in the metrics callback, which must not
/// wait on a database: at once where ops act on a few rows, or by <see cref="RowCountGaugeRefresher"/> a moment after
/// <see cref="Changed"/> where rows change often (the router's pump), and regularly besides. Registered with
/// <see cref="RowCountGaugeExtensions.AddRowCountGauge{TGauge}"/>.
/// </summary>
public abstract class RowCountGauge
{
    // A count that takes longer is given up: the gauge keeps its last one rather than hold up the ops route reading it.
    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _countSql;
    private long _count;
    private int _changed;

    /// <summary>Creates the gauge <paramref name="name"/> on the service's meter, counted by <paramref name="countSql"/>.</summary>
    protected RowCountGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry, string name, string description, string countSql)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _dataSource = dataSource;
        _countSql = countSql;
        Name = name;
        telemetry.Meter.CreateObservableGauge(name, () => Interlocked.Read(ref _count), description: description);
    }

    /// <summary>The gauge's name (<c>ordersmail.inbound.parked</c>, <c>ordersmail.agent.handoffs.open</c>...).</summary>
    public string Name { get; }

    /// <summary>
    /// Says that rows were added or taken away, without counting them: <see cref="RowCountGaugeRefresher"/> counts once
    /// for however many changes came meanwhile. Never blocks.
    /// </summary>
    public void Changed() => Interlocked.Exchange(ref _changed, 1);

    /// <summary>
    /// Reads the count again, within a few seconds. Callers read it after work of their own (a batch committed, a list
    /// read, a row given back), which must not fail for a metric: a database that does not answer in time leaves the
    /// last count, until the next change or the next regular count reads it.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CountTimeout);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token);
            Interlocked.Exchange(ref _count, await connection.ExecuteScalarAsync<long>(new CommandDefinition(_countSql, cancellationToken: timeout.Token)));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Kept as it was: see above.
        }
    }

    /// <summary>Whether <see cref="Changed"/> was called since the last time this was asked.</summary>
    internal bool TakeChanged() => Interlocked.Exchange(ref _changed, 0) == 1;
}

using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Tests.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Telemetry;

/// <summary>Consumes a ping the way a real consumer works: it asks the database something.</summary>
public sealed class QueryingPingConsumer(NpgsqlDataSource database) : IConsumer<Ping>
{
    public async Task Consume(ConsumeContext<Ping> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var connection = await database.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteScalarAsync<int>("select 1");
    }
}

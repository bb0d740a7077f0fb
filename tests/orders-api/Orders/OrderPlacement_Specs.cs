using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Outbox;
using OrdersMail.OrdersApi.Tests.Outbox;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>Placing orders on the real database with references the spec chooses, to make them clash.</summary>
public sealed class OrderPlacement_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    [Fact]
    public async Task When_the_drawn_reference_is_taken_Should_draw_another_and_leave_nothing_of_the_failed_attempt()
    {
        await using var dataSource = await OutboxTestHosts.OrdersSchemaAsync(infrastructure);
        var taken = $"ORD-T{Guid.NewGuid():N}"[..10];
        var fresh = $"ORD-F{Guid.NewGuid():N}"[..10];
        var first = await PlaceAsync(dataSource, [taken]);

        var second = await PlaceAsync(dataSource, [taken, fresh]);

        Assert.Equal(PlacementOutcome.Created, second.Outcome);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(taken, await ReferenceOfAsync(connection, first.OrderId));
        Assert.Equal(fresh, await ReferenceOfAsync(connection, second.OrderId));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "select count(*) from outbox_messages where payload->>'orderId' = @id", new { id = second.OrderId.ToString() }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>(
            "select count(*) from outbox_messages where payload->>'orderRef' in (@taken, @fresh)", new { taken, fresh }));
    }

    [Fact]
    public async Task When_every_drawn_reference_is_taken_Should_give_up_after_a_bounded_number_of_draws()
    {
        await using var dataSource = await OutboxTestHosts.OrdersSchemaAsync(infrastructure);
        var taken = $"ORD-T{Guid.NewGuid():N}"[..10];
        await PlaceAsync(dataSource, [taken]);
        var draws = 0;
        var placement = new OrderPlacement(dataSource, Options.Create(new PlacementLimitOptions()), Outbox(), NullLogger<OrderPlacement>.Instance, () =>
        {
            draws++;
            return taken;
        });

        var clash = await Assert.ThrowsAsync<PostgresException>(() => placement.PlaceAsync("user_placement", Request(), null, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, clash.SqlState);
        Assert.Equal(OrderPlacement.ReferenceAttempts, draws);
    }

    private static async Task<PlacementResult> PlaceAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> references)
    {
        var draws = new Queue<string>(references);
        var placement = new OrderPlacement(dataSource, Options.Create(new PlacementLimitOptions()), Outbox(), NullLogger<OrderPlacement>.Instance, draws.Dequeue);
        return await placement.PlaceAsync("user_placement", Request(), null, CancellationToken.None);
    }

    private static OutboxWriter Outbox() => new(OrdersOutbox.Messages, new OutboxSignal());

    private static PlaceOrderRequest Request() =>
        new("jane@example.com", null, "EUR", [new PlaceOrderItem("MUG-01", "Mug", 1, 12.5m)]);

    private static Task<string> ReferenceOfAsync(NpgsqlConnection connection, Guid id) =>
        connection.ExecuteScalarAsync<string>("select order_ref from orders where id = @id", new { id })!;
}

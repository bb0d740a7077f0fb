using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>
/// One user places at most <see cref="PlacementLimitFixture.PerMinute"/> orders a minute and <see cref="PlacementLimitFixture.PerDay"/>
/// a day: past that a new order answers 429 with Retry-After and a problem naming the limit, and nothing is written or
/// published; a retry of an order placed is still answered with it, and other users are not affected.
/// </summary>
public sealed class PlacementLimit_Specs(PlacementLimitFixture fixture) : IClassFixture<PlacementLimitFixture>
{
    [Fact]
    public async Task When_a_user_has_placed_a_minutes_orders_Should_refuse_the_next_with_429_and_write_nothing_while_retries_and_others_pass()
    {
        var user = $"user_{Guid.NewGuid():N}";
        using var client = await fixture.SignedInAsync(user);
        var keys = Enumerable.Range(0, PlacementLimitFixture.PerMinute).Select(i => $"order-{i}").ToList();
        var placed = new List<Guid>();
        foreach (var key in keys)
        {
            using var accepted = await OrderRequests.PlaceAsync(client, idempotencyKey: key);
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            placed.Add((await OrderRequests.JsonAsync(accepted))["id"]!.GetValue<Guid>());
        }

        using var refused = await OrderRequests.PlaceAsync(client, idempotencyKey: "one-too-many");

        var problem = await AssertTooManyAsync(refused, nameof(PlacementLimitOptions.PerMinute), PlacementLimitFixture.PerMinute, 60);
        Assert.InRange(problem.RetryAfter, 1, 60);
        Assert.Equal(PlacementLimitFixture.PerMinute, await OrdersOfAsync(user));
        Assert.Equal(PlacementLimitFixture.PerMinute, await OrderCreatedRowsOfAsync(user));

        using var retried = await OrderRequests.PlaceAsync(client, idempotencyKey: keys[0]);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("true", retried.Headers.GetValues(OrdersEndpoints.ReplayedHeader).Single());
        Assert.Equal(placed[0], (await OrderRequests.JsonAsync(retried))["id"]!.GetValue<Guid>());

        using var other = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        using var othersOrder = await OrderRequests.PlaceAsync(other);
        Assert.Equal(HttpStatusCode.Created, othersOrder.StatusCode);
    }

    [Fact]
    public async Task When_a_user_has_placed_a_days_orders_Should_refuse_the_next_until_the_oldest_is_a_day_old()
    {
        var user = $"user_{Guid.NewGuid():N}";
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            // Placed over the last hours, each more than a minute ago: only the day's limit counts them.
            await connection.ExecuteAsync(
                """
                insert into orders.orders (id, order_ref, user_id, customer_email, currency, total, created_at)
                select gen_random_uuid(), 'ORD-D' || substr(md5(random()::text), 1, 8), @user, 'jane@example.com', 'EUR', 1, now() - interval '2 hours' + i * interval '10 minutes'
                from generate_series(0, @count - 1) as i
                """,
                new { user, count = PlacementLimitFixture.PerDay });
        }

        using var client = await fixture.SignedInAsync(user);
        using var refused = await OrderRequests.PlaceAsync(client);

        var problem = await AssertTooManyAsync(refused, nameof(PlacementLimitOptions.PerDay), PlacementLimitFixture.PerDay, 86_400);
        // The oldest of them leaves the day's window 22 hours from now.
        Assert.InRange(problem.RetryAfter, (22 * 3600) - 60, 22 * 3600);
        Assert.Equal(PlacementLimitFixture.PerDay, await OrdersOfAsync(user));
        Assert.Equal(0, await OrderCreatedRowsOfAsync(user));
    }

    [Fact]
    public async Task When_several_orders_race_for_the_last_place_Should_take_exactly_one()
    {
        var user = $"user_{Guid.NewGuid():N}";
        using var client = await fixture.SignedInAsync(user);
        for (var i = 0; i < PlacementLimitFixture.PerMinute - 1; i++)
        {
            await OrderRequests.PlacedAsync(client);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => OrderRequests.PlaceAsync(client, idempotencyKey: $"race-{i}")));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(PlacementLimitFixture.PerMinute, await OrdersOfAsync(user));
        Assert.Equal(PlacementLimitFixture.PerMinute, await OrderCreatedRowsOfAsync(user));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    private static async Task<(long RetryAfter, JsonObject Problem)> AssertTooManyAsync(HttpResponseMessage response, string limit, int maxOrders, long windowSeconds)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = (long)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        var problem = await OrderRequests.JsonAsync(response);
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Equal(limit, problem["limit"].Text());
        Assert.Equal(maxOrders, problem["max_orders"]!.GetValue<int>());
        Assert.Equal(windowSeconds, problem["window_seconds"]!.GetValue<long>());
        Assert.Equal(retryAfter, problem["retry_after_seconds"]!.GetValue<long>());
        Assert.Contains($"OrdersApi:Placement:{limit}", problem["detail"].Text(), StringComparison.Ordinal);
        Assert.Contains($"after {retryAfter} seconds", problem["detail"].Text(), StringComparison.Ordinal);
        return (retryAfter, problem);
    }

    private async Task<int> OrdersOfAsync(string user)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from orders.orders where user_id = @user", new { user });
    }

    private async Task<int> OrderCreatedRowsOfAsync(string user)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from orders.outbox_messages where payload->>'userId' = @user", new { user });
    }
}

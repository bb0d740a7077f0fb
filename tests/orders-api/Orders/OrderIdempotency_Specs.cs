using System.Net;
using Dapper;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed class OrderIdempotency_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task When_the_same_key_and_order_come_again_Should_answer_200_with_the_first_order_and_write_nothing()
    {
        const string user = "user_idem_replay";
        using var client = await fixture.SignedInAsync(user);
        var key = Guid.NewGuid().ToString();

        using var first = await OrderRequests.PlaceAsync(client, idempotencyKey: key);
        using var again = await OrderRequests.PlaceAsync(client, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["true"], again.Headers.GetValues(OrdersEndpoints.ReplayedHeader));
        var (firstOrder, againOrder) = (await OrderRequests.JsonAsync(first), await OrderRequests.JsonAsync(again));
        Assert.Equal(firstOrder["id"].Text(), againOrder["id"].Text());
        Assert.Equal(firstOrder["order_ref"].Text(), againOrder["order_ref"].Text());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal((1, 1), await CountOrdersAndEventsAsync(user));
    }

    [Fact]
    public async Task When_the_same_key_comes_with_another_order_Should_answer_409_and_write_nothing()
    {
        const string user = "user_idem_conflict";
        using var client = await fixture.SignedInAsync(user);
        var key = Guid.NewGuid().ToString();

        using var first = await OrderRequests.PlaceAsync(client, idempotencyKey: key);
        using var other = await OrderRequests.PlaceAsync(client, OrderRequests.Body(b => b["items"]![0]!["quantity"] = 5), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal((1, 1), await CountOrdersAndEventsAsync(user));
    }

    [Fact]
    public async Task When_requests_with_one_key_race_Should_place_one_order_and_give_every_request_its_id()
    {
        const string user = "user_idem_race";
        using var client = await fixture.SignedInAsync(user);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => OrderRequests.PlaceAsync(client, idempotencyKey: key)));

        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
            var ids = await Task.WhenAll(responses.Select(async r => (await OrderRequests.JsonAsync(r))["id"].Text()));
            Assert.Single(ids.Distinct(StringComparer.Ordinal));
            Assert.Equal((1, 1), await CountOrdersAndEventsAsync(user));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task When_two_users_send_the_same_key_Should_place_an_order_for_each()
    {
        using var jane = await fixture.SignedInAsync("user_idem_jane");
        using var john = await fixture.SignedInAsync("user_idem_john");
        const string key = "checkout-1";

        using var janes = await OrderRequests.PlaceAsync(jane, idempotencyKey: key);
        using var johns = await OrderRequests.PlaceAsync(john, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, janes.StatusCode);
        Assert.Equal(HttpStatusCode.Created, johns.StatusCode);
        Assert.NotEqual((await OrderRequests.JsonAsync(janes))["id"].Text(), (await OrderRequests.JsonAsync(johns))["id"].Text());
    }

    private async Task<(int Orders, int Events)> CountOrdersAndEventsAsync(string userId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, int)>(
            """
            select (select count(*)::int from orders.orders where user_id = @userId),
                   (select count(*)::int from orders.outbox_messages where payload->>'userId' = @userId)
            """,
            new { userId });
    }
}

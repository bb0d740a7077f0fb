using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// A database that cannot take a request now (every pooled connection busy, as in an order storm) is answered 503 with
/// Retry-After and a problem body, never 500, and nothing is half-written: the same request sent again places the order once.
/// </summary>
public sealed class DatabaseBusy_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private const int PoolSize = 2;

    [Fact]
    public async Task When_no_connection_comes_free_Should_answer_503_with_Retry_After_and_place_the_order_when_sent_again()
    {
        const string user = "user_db_busy";
        await using var api = fixture.Api.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postgres:MaxPoolSize"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Postgres:ConnectionTimeout"] = "00:00:01",
        })));
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.Sandbox.MintTokenAsync(user));
        client.DefaultRequestHeaders.Add("Origin", OrdersApiFactory.WebAppOrigin);
        var key = Guid.NewGuid().ToString();
        var pool = api.Services.GetRequiredService<NpgsqlDataSource>();

        var held = await HeldPool.HoldEveryConnectionAsync(pool, PoolSize);
        HttpResponseMessage busy;
        try
        {
            busy = await OrderRequests.PlaceAsync(client, idempotencyKey: key);
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        using (busy)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), busy.Headers.RetryAfter?.Delta);
            // The answer is written after the exception handler cleared the response: the web app may still read it.
            Assert.Equal([OrdersApiFactory.WebAppOrigin], busy.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins) ? origins : []);
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await busy.Content.ReadAsStringAsync())!;
            Assert.Equal(503, problem["status"]!.GetValue<int>());
            Assert.Equal("The database is busy", problem["title"]!.GetValue<string>());
        }

        Assert.Equal(0, await CountOrdersAsync(user));
        using var again = await OrderRequests.PlaceAsync(client, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(1, await CountOrdersAsync(user));
    }

    private async Task<int> CountOrdersAsync(string userId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*)::int from orders.orders where user_id = @userId", new { userId });
    }
}

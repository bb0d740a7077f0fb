using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed class ListOrders_Specs(ManyOrdersFixture fixture) : IClassFixture<ManyOrdersFixture>
{
    [Fact]
    public async Task Should_list_the_callers_orders_newest_first_page_by_page()
    {
        using var client = await fixture.SignedInAsync("user_list_pages");
        var placed = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            placed.Add(await OrderRequests.PlacedAsync(client, OrderRequests.Body(b => b["items"]![0]!["sku"] = $"SKU-{i}")));
        }

        var pages = new List<JsonObject>();
        string? cursor = null;
        do
        {
            using var response = await client.GetAsync($"{OrderRequests.Path}?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await OrderRequests.JsonAsync(response);
            pages.Add(page);
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p["orders"]!.AsArray().Count));
        var listed = pages.SelectMany(p => p["orders"]!.AsArray()).Select(o => o!["id"]!.GetValue<Guid>()).ToList();
        Assert.Equal(Enumerable.Reverse(placed), listed);
        Assert.False(pages[^1].ContainsKey("next_cursor"));
    }

    [Fact]
    public async Task When_no_limit_is_given_Should_answer_20_orders_and_a_cursor()
    {
        using var client = await fixture.SignedInAsync("user_list_default");
        await Task.WhenAll(Enumerable.Range(0, 21).Select(_ => OrderRequests.PlacedAsync(client)));

        using var response = await client.GetAsync(OrderRequests.Path);

        var page = await OrderRequests.JsonAsync(response);
        Assert.Equal(20, page["orders"]!.AsArray().Count);
        Assert.NotNull(page["next_cursor"]);
    }

    [Fact]
    public async Task When_the_caller_has_no_orders_Should_answer_an_empty_list_without_cursor()
    {
        using var client = await fixture.SignedInAsync("user_list_none");

        using var response = await client.GetAsync(OrderRequests.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"orders":[]}""", (await OrderRequests.JsonAsync(response)).ToJsonString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("")]
    public async Task When_the_limit_is_out_of_bounds_Should_answer_400_naming_it(string limit)
    {
        using var client = await fixture.SignedInAsync("user_list_limits");

        using var response = await client.GetAsync($"{OrderRequests.Path}?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["limit"], await OrderRequests.ErrorFieldsAsync(response));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("100")]
    public async Task When_the_limit_is_within_bounds_Should_answer_200(string limit)
    {
        using var client = await fixture.SignedInAsync("user_list_limits");

        using var response = await client.GetAsync($"{OrderRequests.Path}?limit={limit}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task When_the_cursor_is_not_one_the_API_wrote_Should_answer_400_naming_it()
    {
        using var client = await fixture.SignedInAsync("user_list_cursor");

        using var response = await client.GetAsync($"{OrderRequests.Path}?cursor=forged");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["cursor"], await OrderRequests.ErrorFieldsAsync(response));
    }

    [Fact]
    public async Task When_the_cursor_is_edited_truncated_or_another_users_Should_answer_400_naming_it_and_list_nothing()
    {
        using var owner = await fixture.SignedInAsync("user_cursor_owner");
        using var other = await fixture.SignedInAsync("user_cursor_other");
        await OrderRequests.PlacedAsync(owner);
        await OrderRequests.PlacedAsync(owner);
        var cursor = await NextCursorAsync(owner);
        var edited = cursor[..5] + (cursor[5] == 'A' ? 'B' : 'A') + cursor[6..];

        foreach (var (client, forged) in new[] { (owner, edited), (owner, cursor[..^2]), (owner, cursor + "AA"), (other, cursor) })
        {
            using var response = await client.GetAsync($"{OrderRequests.Path}?cursor={Uri.EscapeDataString(forged)}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await OrderRequests.JsonAsync(response);
            Assert.Equal(["cursor"], problem["errors"]!.AsObject().Select(e => e.Key));
            Assert.Null(problem["orders"]);
        }
    }

    private static async Task<string> NextCursorAsync(HttpClient client)
    {
        using var response = await client.GetAsync($"{OrderRequests.Path}?limit=1");
        return (await OrderRequests.JsonAsync(response))["next_cursor"]!.GetValue<string>();
    }
}

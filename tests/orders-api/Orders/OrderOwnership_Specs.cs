using System.Net;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed class OrderOwnership_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task When_another_user_asks_for_an_order_Should_answer_404_exactly_as_for_an_unknown_id()
    {
        using var owner = await fixture.SignedInAsync("user_owner_a");
        using var other = await fixture.SignedInAsync("user_owner_b");
        var id = await OrderRequests.PlacedAsync(owner);

        using var foreign = await other.GetAsync($"{OrderRequests.Path}/{id}");
        using var unknown = await other.GetAsync($"{OrderRequests.Path}/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var (foreignProblem, unknownProblem) = (await OrderRequests.JsonAsync(foreign), await OrderRequests.JsonAsync(unknown));
        foreignProblem.Remove("traceId");
        unknownProblem.Remove("traceId");
        Assert.Equal(unknownProblem.ToJsonString(), foreignProblem.ToJsonString());
        using var own = await owner.GetAsync($"{OrderRequests.Path}/{id}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Should_list_only_the_callers_own_orders()
    {
        using var owner = await fixture.SignedInAsync("user_owner_c");
        using var other = await fixture.SignedInAsync("user_owner_d");
        var owners = await OrderRequests.PlacedAsync(owner);
        var others = await OrderRequests.PlacedAsync(other);

        using var response = await other.GetAsync(OrderRequests.Path);

        var listed = (await OrderRequests.JsonAsync(response))["orders"]!.AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();
        Assert.Equal([others], listed);
        Assert.DoesNotContain(owners, listed);
    }

    [Fact]
    public async Task When_the_id_is_not_an_order_id_Should_answer_404()
    {
        using var client = await fixture.SignedInAsync("user_owner_e");

        using var response = await client.GetAsync($"{OrderRequests.Path}/not-an-id");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

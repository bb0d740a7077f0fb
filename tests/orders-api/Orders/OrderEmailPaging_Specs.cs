using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>
/// Every message written to an order's inbox may get the agent's reply, each an email: the order carries its newest
/// <see cref="OrderReader.MaxEmails"/> and how many there are, and <c>GET /api/orders/{id}/emails</c> pages through all.
/// </summary>
public sealed class OrderEmailPaging_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private const int Spam = OrderReader.MaxEmails + 30;

    [Fact]
    public async Task When_an_order_has_more_emails_than_it_carries_Should_carry_the_newest_and_how_many_there_are()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        var emails = await AddEmailsAsync(orderId, Spam);

        var order = await OrderRequests.GetAsync(owner, orderId);
        var listed = (await owner.GetFromJsonAsync<JsonElement>(OrderRequests.Path)).GetProperty("orders").EnumerateArray()
            .Single(o => o.GetProperty("id").GetGuid() == orderId);

        Assert.Equal(emails[^OrderReader.MaxEmails..], order["emails"]!.AsArray().Select(e => e!["email_id"]!.GetValue<Guid>()));
        Assert.Equal(Spam, order["email_count"]!.GetValue<int>());
        Assert.Equal(emails[^OrderReader.MaxEmails..], listed.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("email_id").GetGuid()));
        Assert.Equal(Spam, listed.GetProperty("email_count").GetInt32());
    }

    [Fact]
    public async Task Should_page_through_every_email_of_the_order_exactly_once_oldest_first()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        var emails = await AddEmailsAsync(orderId, Spam);

        var paged = new List<Guid>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await PageAsync(owner, orderId, $"limit=7{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            paged.AddRange(page.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("email_id").GetGuid()));
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;

            // An event about an email already listed moves nothing in the list: an email's place is when it was first heard of.
            await TouchAsync(paged[0]);
        }
        while (cursor is not null && ++pages < 100);

        Assert.Equal(emails, paged);
    }

    [Fact]
    public async Task When_the_order_is_another_users_Should_answer_404_exactly_as_for_an_unknown_one()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        using var other = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        await AddEmailsAsync(orderId, 3);

        using var theirs = await other.GetAsync($"{OrderRequests.Path}/{orderId}/emails");
        using var unknown = await other.GetAsync($"{OrderRequests.Path}/{Guid.NewGuid()}/emails");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", theirs.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            (await OrderRequests.JsonAsync(unknown))["title"].Text(),
            (await OrderRequests.JsonAsync(theirs))["title"].Text());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=forged", "cursor")]
    public async Task When_the_query_is_not_valid_Should_answer_400_naming_it(string query, string field)
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);

        using var response = await owner.GetAsync($"{OrderRequests.Path}/{orderId}/emails?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await OrderRequests.ErrorFieldsAsync(response));
    }

    [Fact]
    public async Task When_the_cursor_is_of_another_orders_emails_Should_answer_400_naming_it()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var first = await OrderRequests.PlacedAsync(owner);
        var second = await OrderRequests.PlacedAsync(owner);
        await AddEmailsAsync(first, 3);
        var cursor = (await PageAsync(owner, first, "limit=1")).GetProperty("next_cursor").GetString()!;

        using var response = await owner.GetAsync($"{OrderRequests.Path}/{second}/emails?cursor={Uri.EscapeDataString(cursor)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["cursor"], await OrderRequests.ErrorFieldsAsync(response));
    }

    [Fact]
    public async Task Should_describe_the_route_with_its_query_and_its_page_in_the_OpenAPI_document()
    {
        using var client = fixture.Api.CreateClient();

        var list = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths").GetProperty("/api/orders/{id}/emails").GetProperty("get");

        Assert.Equal(["cursor", "id", "limit"], list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var page = list.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        Assert.Equal("#/components/schemas/OrderEmailPage", page);
    }

    private static async Task<JsonElement> PageAsync(HttpClient owner, Guid orderId, string query)
    {
        using var response = await owner.GetAsync($"{OrderRequests.Path}/{orderId}/emails?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the emails answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    // The agent's replies to a spammed inbox, each heard of a moment after the last, some three at the same moment (the
    // email id orders those), and some not yet queued as far as orders-api knows: their ids, oldest first.
    private async Task<List<Guid>> AddEmailsAsync(Guid orderId, int count)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<Guid>(
            """
            with added as (
                insert into orders.order_emails
                    (email_id, order_id, kind, subject, recipients, provider, state, state_rank, queued_at, updated_at, recorded_at)
                select gen_random_uuid(), @OrderId, 'agent_reply', 'Re: spam ' || n, array['jane@example.com'], 'agentmail', 'sent', 2,
                       case when n % 5 = 0 then null else at end, at, at
                from generate_series(1, @Count) n, lateral (select now() - interval '1 hour' + (n / 3) * interval '1 second' as at) t
                returning email_id, recorded_at)
            select email_id from added order by recorded_at, email_id
            """,
            new { OrderId = orderId, Count = count })).AsList();
    }

    // An event about the email: it is queued now, and its state is later.
    private async Task TouchAsync(Guid emailId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "update orders.order_emails set queued_at = coalesce(queued_at, now()), updated_at = now() where email_id = @EmailId",
            new { EmailId = emailId });
    }
}

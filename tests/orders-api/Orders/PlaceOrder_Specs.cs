using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using OrdersMail.Contracts.Orders;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed class PlaceOrder_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task When_an_order_is_valid_Should_answer_201_with_its_location_reference_and_view()
    {
        using var client = await fixture.SignedInAsync("user_place_valid");

        using var response = await OrderRequests.PlaceAsync(client);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await OrderRequests.JsonAsync(response);
        var id = order["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Matches("^ORD-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$", order["order_ref"].Text());
        Assert.Equal("placed", order["status"].Text());
        Assert.Equal("jane@example.com", order["customer_email"].Text());
        Assert.Equal("Jane Doe", order["customer_name"].Text());
        Assert.Equal("EUR", order["currency"].Text());
        Assert.Equal(45m, order["total"]!.GetValue<decimal>());
        Assert.Equal(["MUG-01", "TEE-02"], order["items"]!.AsArray().Select(i => i!["sku"].Text()));
        Assert.Equal(12.5m, order["items"]![0]!["unit_price"]!.GetValue<decimal>());
        Assert.Equal("pending", order["provisioning"]!["state"].Text());
        Assert.Empty(order["emails"]!.AsArray());
        Assert.Equal(0, order["message_count"]!.GetValue<int>());

        var fetched = await OrderRequests.GetAsync(client, id);
        Assert.Equal(order.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task When_placed_Should_commit_the_order_its_lines_and_its_OrderCreated_outbox_row_together()
    {
        using var client = await fixture.SignedInAsync("user_place_outbox");

        var id = await OrderRequests.PlacedAsync(client);

        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var order = await connection.QuerySingleAsync<(string OrderRef, DateTime CreatedAt, string UserId)>(
            "select order_ref, created_at, user_id from orders.orders where id = @id", new { id });
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("select count(*) from orders.order_items where order_id = @id", new { id }));

        var outbox = (await connection.QueryAsync<(string MessageType, string Payload)>(
            "select message_type, payload::text from orders.outbox_messages where payload->>'orderId' = @id", new { id = id.ToString() })).Single();
        Assert.Equal(typeof(OrderCreated).FullName, outbox.MessageType);
        Assert.Equal(
            new OrderCreated(id, order.OrderRef, "user_place_outbox", "jane@example.com", "Jane Doe", new DateTimeOffset(order.CreatedAt, TimeSpan.Zero)),
            JsonSerializer.Deserialize<OrderCreated>(outbox.Payload, JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task When_fields_are_wrong_Should_answer_400_problem_naming_each_one()
    {
        using var client = await fixture.SignedInAsync("user_place_invalid");
        var body = OrderRequests.Body(b =>
        {
            b["customer_email"] = "nope";
            b["currency"] = "ABC";
            b["items"]![1]!["quantity"] = 0;
            b["items"]![1]!["unit_price"] = -3;
        });

        using var response = await OrderRequests.PlaceAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["currency", "customer_email", "items[1].quantity", "items[1].unit_price"], await OrderRequests.ErrorFieldsAsync(response));
        await AssertNoOrdersOfAsync("user_place_invalid");
    }

    [Theory]
    [InlineData("{\"customer_email\": ")]
    [InlineData("not json at all")]
    public async Task When_the_body_is_not_JSON_Should_answer_400_problem(string body)
    {
        using var client = await fixture.SignedInAsync("user_place_malformed");

        using var response = await OrderRequests.PlaceRawAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await OrderRequests.JsonAsync(response))["status"]!.GetValue<int>());
    }

    // text/plain is refused by routing (the endpoint accepts JSON only) before the handler runs; a body without a
    // Content-Type reaches the handler, which refuses it itself. Both say what is wrong.
    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task When_the_body_is_not_declared_as_JSON_Should_answer_415_problem_saying_so(string? contentType)
    {
        using var client = await fixture.SignedInAsync("user_place_not_json");
        using var body = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(OrderRequests.Body().ToJsonString()));
        body.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, OrderRequests.Path) { Content = body };
        request.Headers.Add("Idempotency-Key", $"not-json-{contentType ?? "none"}");

        using var response = await client.SendAsync(request);

        Assert.Contains("application/json", await ProblemAnswer.DetailAsync(response, HttpStatusCode.UnsupportedMediaType), StringComparison.Ordinal);
    }

    public static TheoryData<string> BadIdempotencyKeys => ["   ", new string('k', 256)];

    [Theory]
    [MemberData(nameof(BadIdempotencyKeys))]
    public async Task When_the_Idempotency_Key_is_blank_or_too_long_Should_answer_400_naming_it(string key)
    {
        using var client = await fixture.SignedInAsync("user_place_bad_key");

        using var response = await OrderRequests.PlaceAsync(client, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Idempotency-Key"], await OrderRequests.ErrorFieldsAsync(response));
        await AssertNoOrdersOfAsync("user_place_bad_key");
    }

    [Fact]
    public async Task When_the_caller_is_not_signed_in_Should_answer_401_and_place_nothing()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await OrderRequests.PlaceAsync(client, OrderRequests.Body(b => b["customer_email"] = "anonymous@example.com"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from orders.orders where customer_email = 'anonymous@example.com'"));
    }

    private async Task AssertNoOrdersOfAsync(string userId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from orders.orders where user_id = @userId", new { userId }));
    }
}

using System.Net;
using System.Text;
using Dapper;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// The orders routes under an attack corpus: bodies over the limit, text .NET or PostgreSQL cannot take, absurd JSON.
/// Each is a 4xx problem naming what is wrong, never a 500, and nothing is written.
/// </summary>
public sealed class HostileOrderInput_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly string _user = $"user_{Guid.NewGuid():N}";

    [Fact]
    public async Task When_the_declared_body_is_over_the_limit_Should_answer_413_naming_it_and_place_nothing()
    {
        using var client = await fixture.SignedInAsync(_user);

        using var response = await client.PostAsync(OrderRequests.Path, HostileBodies.Json(Encoding.UTF8.GetBytes(HostileBodies.Oversized(HostileBodies.Limit, "customer_name"))));

        await HostileBodies.AssertTooLargeAsync(response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task When_a_chunked_body_runs_over_the_limit_Should_answer_413_naming_it_and_place_nothing()
    {
        using var client = await fixture.SignedInAsync(_user);

        using var response = await client.PostAsync(OrderRequests.Path, HostileBodies.Chunked(HostileBodies.Oversized(2 * HostileBodies.Limit, "customer_name")));

        await HostileBodies.AssertTooLargeAsync(response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task When_the_largest_real_order_is_sent_Should_fit_under_the_limit()
    {
        using var client = await fixture.SignedInAsync(_user);
        var escaped = string.Concat(Enumerable.Repeat("\\u00e9", 200));
        var line = $$"""{"sku":"{{new string('S', 64)}}","name":"{{escaped}}","quantity":2147483647,"unit_price":0.0001}""";
        var body = $$"""{"customer_email":"jane@example.com","customer_name":"{{escaped}}","currency":"EUR","items":[{{string.Join(",", Enumerable.Repeat(line, 100))}}]}""";

        using var response = await OrderRequests.PlaceRawAsync(client, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string, string> BadText => new()
    {
        { """{"customer_email":"jane@example.com","customer_name":"Jane\u0000","currency":"EUR","items":[{"sku":"A","name":"B","quantity":1,"unit_price":1}]}""", "customer_name" },
        { """{"customer_email":"jane\u0000@example.com","currency":"EUR","items":[{"sku":"A","name":"B","quantity":1,"unit_price":1}]}""", "customer_email" },
        { """{"customer_email":"jane@example.com","currency":"EUR","items":[{"sku":"A","name":"B","quantity":1,"unit_price":1},{"sku":"\u0000","name":"B","quantity":1,"unit_price":1}]}""", "items[1].sku" },
        { """{"customer_email":"jane@example.com","currency":"EUR","items":[{"sku":"A","name":"\ud800","quantity":1,"unit_price":1}]}""", "items[0].name" },
        { """{"customer_email":"jane@example.com","customer_name":"\udc00 low first","currency":"EUR","items":[{"sku":"A","name":"B","quantity":1,"unit_price":1}]}""", "customer_name" },
        { """{"customer_email":"jane@example.com","currency":"EUR\ud800","items":[{"sku":"A","name":"B","quantity":1,"unit_price":1}]}""", "currency" },
    };

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task When_a_field_holds_NUL_or_a_lone_surrogate_Should_answer_400_naming_it_and_place_nothing(string body, string field)
    {
        using var client = await fixture.SignedInAsync(_user);

        await HostileBodies.AssertNamesAsync(await OrderRequests.PlaceRawAsync(client, body), field);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("customer_name")]
    [InlineData("items[0].name")]
    public async Task When_a_field_is_not_valid_UTF8_Should_answer_400_naming_it_and_place_nothing(string field)
    {
        using var client = await fixture.SignedInAsync(_user);
        var json = """{"customer_email":"jane@example.com","customer_name":"Jane @customer_name@","currency":"EUR","items":[{"sku":"A","name":"@items[0].name@","quantity":1,"unit_price":1}]}""";
        var body = HostileBodies.WithInvalidUtf8(json.Replace($"@{(field == "customer_name" ? "items[0].name" : "customer_name")}@", "x", StringComparison.Ordinal), $"@{field}@");

        using var response = await client.PostAsync(OrderRequests.Path, HostileBodies.Json(body));

        await HostileBodies.AssertNamesAsync(response, field);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("""{"customer_email":"jane@example.com","currency":"EUR","items":[{"sku":"A","name":"B","quantity":1e999999,"unit_price":1}]}""", "items[0].quantity")]
    [InlineData("""{"customer_email":"jane@example.com","currency":"EUR","items":[{"sku":"A","name":"B","quantity":1,"unit_price":1e400}]}""", "items[0].unit_price")]
    [InlineData("""{"customer_email":"jane@example.com","currency":"EUR","items":[{"sku":"A","name":"B","quantity":99999999999999999999999999999999999999,"unit_price":-1e-400}]}""", "items[0].quantity")]
    public async Task When_a_number_is_huge_Should_answer_400_naming_it_and_place_nothing(string body, string field)
    {
        using var client = await fixture.SignedInAsync(_user);

        await HostileBodies.AssertNamesAsync(await OrderRequests.PlaceRawAsync(client, body), field);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task When_the_JSON_is_nested_deeper_than_any_order_Should_answer_400_and_place_nothing()
    {
        using var client = await fixture.SignedInAsync(_user);

        await HostileBodies.AssertNamesAsync(await OrderRequests.PlaceRawAsync(client, HostileBodies.Nested(10_000)), "body");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("?cursor=%00", "cursor")]
    [InlineData("?limit=%00", "limit")]
    [InlineData("?limit=1%002", "limit")]
    [InlineData("?cursor=%FF", "cursor")]
    [InlineData("?cursor=%ED%A0%80", "cursor")]
    [InlineData("?limit=%FF", "limit")]
    public async Task When_a_list_parameter_holds_NUL_or_is_not_valid_UTF8_Should_answer_400_naming_it(string query, string parameter)
    {
        using var client = await fixture.SignedInAsync(_user);

        await HostileBodies.AssertNamesAsync(await client.GetAsync(OrderRequests.Path + query), parameter);
    }

    [Theory]
    [InlineData("%ED%A0%80")]
    public async Task When_the_order_id_is_absurd_Should_answer_404(string id)
    {
        using var client = await fixture.SignedInAsync(_user);

        using var response = await client.GetAsync($"{OrderRequests.Path}/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from orders.orders where user_id = @_user", new { _user }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from orders.outbox_messages where payload->>'userId' = @_user", new { _user }));
    }
}

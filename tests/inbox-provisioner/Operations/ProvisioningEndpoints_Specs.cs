using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>Ops' endpoints: a saga by order or by customer, and bad requests answered with what is wrong.</summary>
public sealed class ProvisioningEndpoints_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>
{
    /// <summary>An order id that is not a UUID.</summary>
    [Fact]
    public async Task Should_answer_400_naming_the_problem_for_an_order_id_that_is_not_a_uuid()
    {
        var response = await fixture.Client.GetAsync("/provisioning/ORD-123");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("UUID", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>An order the provisioner never heard of.</summary>
    [Fact]
    public async Task Should_answer_404_for_an_unknown_order()
    {
        var response = await fixture.Client.GetAsync($"/provisioning/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Listing without saying whose.</summary>
    [Fact]
    public async Task Should_answer_400_when_listing_without_a_user_id()
    {
        var response = await fixture.Client.GetAsync("/provisioning");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("user_id", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A user id no Clerk user has: a control character, one too long, or in the query one that is not text, a NUL
    /// (which PostgreSQL refuses in text) or an escape that is not UTF-8 (a lone surrogate's too), which ASP.NET decodes to
    /// the escape's own text: the list of "%FF"'s sagas was an empty 200.
    /// </summary>
    [Theory]
    [InlineData("GET", "/provisioning?user_id=user_%01", "printable text")]
    [InlineData("GET", "/provisioning/customers/user_%01", "printable text")]
    [InlineData("DELETE", "/provisioning/customers/user_%01/inbox", "printable text")]
    [InlineData("GET", "/provisioning?user_id=user_{long}", "printable text")]
    [InlineData("GET", "/provisioning?user_id=%FF", "user_id must be valid UTF-8")]
    [InlineData("GET", "/provisioning?user_id=user_%FF%FE", "user_id must be valid UTF-8")]
    [InlineData("GET", "/provisioning?user_id=user_%ED%A0%80", "user_id must be valid UTF-8")]
    [InlineData("GET", "/provisioning?user_id=user_%00", "user_id must not contain the NUL character")]
    public async Task Should_answer_400_naming_the_problem_for_a_user_id_that_is_not_printable_text(string method, string path, string saying)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{long}", new string('x', 300), StringComparison.Ordinal));

        var response = await fixture.Client.SendAsync(request);

        Assert.Contains(saying, await ProblemAnswer.DetailAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    /// <summary>A customer's sagas, newest first, and what they own at AgentMail.</summary>
    [Fact]
    public async Task Should_list_a_customers_sagas_and_show_their_inbox()
    {
        var user = ProvisionerFixture.NewUser();
        var first = ProvisionerFixture.Order(user, DateTimeOffset.UtcNow.AddMinutes(-1));
        var second = ProvisionerFixture.Order(user);
        await fixture.PublishAsync(first);
        await fixture.Outcomes.ReadyAsync(first.OrderId);
        await fixture.PublishAsync(second);
        var ready = await fixture.Outcomes.ReadyAsync(second.OrderId);

        var list = await fixture.Client.GetFromJsonAsync<JsonObject>($"/provisioning?user_id={user}");
        var customer = await fixture.Client.GetFromJsonAsync<JsonObject>($"/provisioning/customers/{user}");

        var orderIds = list!["sagas"]!.AsArray().Select(s => s!["order_id"]!.GetValue<Guid>()).ToList();
        Assert.Equal([second.OrderId, first.OrderId], orderIds);
        Assert.Equal(ready.InboxId, customer!["inbox_id"]!.GetValue<string>());
        Assert.Equal(ready.WebhookId, customer["webhook_id"]!.GetValue<string>());
        Assert.Equal(second.OrderRef, customer["newest_order_ref"]!.GetValue<string>());
    }

    /// <summary>
    /// Sagas are never deleted: the list of a customer with thousands of orders reads the newest it carries, not every
    /// saga the customer ever had.
    /// </summary>
    [Fact]
    public async Task When_a_customer_has_thousands_of_sagas_Should_read_only_the_newest_it_lists()
    {
        var user = ProvisionerFixture.NewUser();
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("set search_path to provisioning");
        await connection.ExecuteAsync(
            """
            insert into provisioning_sagas (correlation_id, current_state, version, data, created_at, updated_at)
            select gen_random_uuid(), 'Ready', 4, jsonb_build_object('userId', @user, 'orderRef', 'ORD-' || n), now() - n * interval '1 minute', now()
            from generate_series(1, 5000) n
            """,
            new { user });
        await connection.ExecuteAsync("analyze provisioning_sagas");

        var plan = JsonNode.Parse(await connection.ExecuteScalarAsync<string>(
            $"explain (analyze, buffers, format json) {ProvisioningReader.ForCustomerSql}",
            new { userId = user, ProvisioningReader.MaxSagasPerCustomer }) ?? "null")![0]!["Plan"]!;

        Assert.InRange(RowsScanned(plan), ProvisioningReader.MaxSagasPerCustomer, 2 * ProvisioningReader.MaxSagasPerCustomer);
    }

    // The rows a plan's scans of provisioning_sagas read: those they returned and those their filters passed by.
    private static double RowsScanned(JsonNode node) =>
        ((string?)node["Relation Name"] == "provisioning_sagas"
            ? ((double)node["Actual Rows"]! * (double)node["Actual Loops"]!) + ((double?)node["Rows Removed by Filter"] ?? 0)
            : 0)
        + (node["Plans"]?.AsArray().Sum(child => RowsScanned(child!)) ?? 0);
}

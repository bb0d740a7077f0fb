using OrdersMail.Testing.Hosting;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary><c>GET /outbox/failed</c>: the newest failed files, each with why, and the email and order it held.</summary>
public sealed class FailedListing_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Fact]
    public async Task Should_list_the_newest_failed_files_first_with_their_reason_email_and_order()
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();
        var orderId = Guid.NewGuid();
        var emailId = Guid.NewGuid();
        var older = $"20250101T000000000Z-{Guid.NewGuid():N}.json";
        var newer = $"20250102T000000000Z-{emailId:N}.json";
        var invalid = JsonNode.Parse(RelayFixture.Email("Older"))!.AsObject();
        invalid["subject"] = null;
        var valid = JsonNode.Parse(RelayFixture.Email("Newer", emailId))!.AsObject();
        valid["to"] = new JsonArray("not an address");
        valid["order_id"] = orderId.ToString();
        fixture.Drop(older, invalid.ToJsonString());
        fixture.Drop(newer, valid.ToJsonString());
        await Eventually.Until(() => Task.FromResult(RelayFixture.Files(fixture.Outbox.Failed).Count), n => n == 2, TimeSpan.FromSeconds(30), "both files to reach failed/");

        var listed = (await http.GetFromJsonAsync<JsonArray>("/outbox/failed"))!;
        var one = (await http.GetFromJsonAsync<JsonArray>("/outbox/failed?limit=1"))!;

        Assert.Equal([newer, older], listed.Select(f => f!["file"]!.GetValue<string>()));
        Assert.Equal("to[0]", listed[0]!["field"]!.GetValue<string>());
        Assert.Equal(emailId, listed[0]!["email_id"]!.GetValue<Guid>());
        Assert.Equal(orderId, listed[0]!["order_id"]!.GetValue<Guid>());
        Assert.Equal("subject", listed[1]!["field"]!.GetValue<string>());
        Assert.All(listed, f => Assert.False(string.IsNullOrEmpty(f!["reason"]!.GetValue<string>())));
        Assert.Equal([newer], one.Select(f => f!["file"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("ten")]
    public async Task Should_answer_a_limit_out_of_range_with_a_problem(string limit)
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();

        using var answer = await http.GetAsync($"/outbox/failed?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("limit", (await answer.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

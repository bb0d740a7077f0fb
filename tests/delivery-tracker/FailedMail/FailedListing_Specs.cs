using OrdersMail.Testing.Hosting;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary><c>GET /outbox/failed</c>: the failed files in pages, newest first, each with why, and the email and order it held.</summary>
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

        var listed = (await http.GetFromJsonAsync<JsonObject>("/outbox/failed"))!["files"]!.AsArray();
        var one = (await http.GetFromJsonAsync<JsonObject>("/outbox/failed?limit=1"))!["files"]!.AsArray();

        Assert.Equal([newer, older], listed.Select(f => f!["file"]!.GetValue<string>()));
        Assert.Equal("to[0]", listed[0]!["field"]!.GetValue<string>());
        Assert.Equal(emailId, listed[0]!["email_id"]!.GetValue<Guid>());
        Assert.Equal(orderId, listed[0]!["order_id"]!.GetValue<Guid>());
        Assert.Equal("subject", listed[1]!["field"]!.GetValue<string>());
        Assert.All(listed, f => Assert.False(string.IsNullOrEmpty(f!["reason"]!.GetValue<string>())));
        Assert.Equal([newer], one.Select(f => f!["file"]!.GetValue<string>()));
    }

    // ASP.NET decodes an escape that is not UTF-8 (a lone surrogate's too) to the escape's own text: the name
    // "20250101T000000000Z-%FF.json" is one a failed file can have, so a page was listed after it.
    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=20250101T000000000Z-x.json.error.json", "next_after")]
    [InlineData("after=..%2Femail%2F20250101T000000000Z-x.json", "next_after")]
    [InlineData("after=20250101T000000000Z-x", "next_after")]
    [InlineData("after=%FF", "after must be valid UTF-8")]
    [InlineData("after=20250101T000000000Z-%FF.json", "after must be valid UTF-8")]
    [InlineData("after=20250101T000000000Z-%ED%A0%80.json", "after must be valid UTF-8")]
    [InlineData("after=20250101T000000000Z-%00.json", "after must not contain the NUL character")]
    public async Task Should_answer_a_limit_out_of_range_or_an_after_that_is_no_failed_files_name_or_not_text_with_a_problem(string query, string saying)
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();

        using var answer = await http.GetAsync($"/outbox/failed?{query}");

        Assert.Contains(saying, await ProblemAnswer.DetailAsync(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    // Send-again leaves each failed file in failed/, so after an outage that failed more emails than a page holds, the
    // list took the newest 500 at most with no way on, and the rest could be neither seen nor sent again.
    [Fact]
    public async Task Should_page_on_after_the_last_file_listed_to_the_oldest()
    {
        // An outbox of the spec's own: the class's failed/ holds what other specs failed.
        var outbox = new MailOutboxFolders(Path.Combine(Path.GetTempPath(), $"ordersmail-failed-pages-{Guid.NewGuid():N}"));
        outbox.EnsureExist();
        try
        {
            using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["MailOutbox:Directory"] = outbox.Root });
            using var http = host.CreateClient().WithOpsKey();
            var names = Enumerable.Range(1, 3).Select(day => $"2025010{day}T000000000Z-{Guid.NewGuid():N}.json").ToList();
            foreach (var name in names)
            {
                File.WriteAllText(Path.Combine(outbox.Failed, name), RelayFixture.Email(name));
            }

            var first = (await http.GetFromJsonAsync<JsonObject>("/outbox/failed?limit=2"))!;
            var second = (await http.GetFromJsonAsync<JsonObject>($"/outbox/failed?limit=2&after={Uri.EscapeDataString(first["next_after"]!.GetValue<string>())}"))!;
            var afterOneGone = (await http.GetFromJsonAsync<JsonObject>("/outbox/failed?after=20250102T120000000Z-sent-again-and-removed.json"))!;

            Assert.Equal([names[2], names[1]], Files(first));
            Assert.Equal(names[1], first["next_after"]!.GetValue<string>());
            Assert.Equal([names[0]], Files(second));
            Assert.Null(second["next_after"]);
            Assert.Equal([names[1], names[0]], Files(afterOneGone));
        }
        finally
        {
            Directory.Delete(outbox.Root, recursive: true);
        }
    }

    private static IEnumerable<string> Files(JsonObject page) => page["files"]!.AsArray().Select(f => f!["file"]!.GetValue<string>());
}

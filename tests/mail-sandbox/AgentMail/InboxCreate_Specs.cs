using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>POST /v0/inboxes</c>: the inbox as created, username and client_id rules, taken names, idempotency, metadata limits.</summary>
public sealed class InboxCreate_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Inboxes = $"{InboxHttp.V0}/inboxes";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_created_with_every_field_Should_answer_200_with_the_inbox()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, """
            {"username":"cust-42-orders","display_name":"Acme Orders","client_id":"inbox-cust-42",
             "metadata":{"customer_id":"42","vip":true,"credit_limit":5000}}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var inbox = reply.Json;
        Assert.Equal("cust-42-orders@agentmail.to", inbox["inbox_id"]!.GetValue<string>());
        Assert.Equal("cust-42-orders@agentmail.to", inbox["email"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(inbox["pod_id"]!.GetValue<string>()));
        Assert.Equal("Acme Orders", inbox["display_name"]!.GetValue<string>());
        Assert.Equal("inbox-cust-42", inbox["client_id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"customer_id":"42","vip":true,"credit_limit":5000}"""), inbox["metadata"]));
        var created = DateTimeOffset.Parse(inbox["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(DateTimeOffset.UtcNow - created < TimeSpan.FromMinutes(1));
        Assert.Equal(inbox["created_at"]!.GetValue<string>(), inbox["updated_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    public async Task When_created_without_a_body_Should_get_a_random_agentmail_address(string? body)
    {
        using var client = factory.AgentMail();

        var reply = body is null
            ? await client.SendAsync(HttpMethod.Post, Inboxes)
            : await client.SendRawAsync(HttpMethod.Post, Inboxes, body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var inboxId = reply.Json["inbox_id"]!.GetValue<string>();
        Assert.Matches("^[a-z0-9]{6,}@agentmail\\.to$", inboxId);
        Assert.False(reply.Json.ContainsKey("display_name"));
        Assert.False(reply.Json.ContainsKey("client_id"));
        Assert.False(reply.Json.ContainsKey("metadata"));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"{Inboxes}/{inboxId}")).Status);
    }

    [Fact]
    public async Task When_two_inboxes_get_random_addresses_Should_get_different_ones()
    {
        using var client = factory.AgentMail();

        var first = await client.CreateInboxAsync();
        var second = await client.CreateInboxAsync();

        Assert.NotEqual(first["inbox_id"]!.GetValue<string>(), second["inbox_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_created_with_a_domain_and_capitals_Should_answer_the_lower_cased_address()
    {
        using var client = factory.AgentMail();

        var inbox = await client.CreateInboxAsync(new { username = "Sales.Team", domain = "Orders.Example.COM" });

        Assert.Equal("sales.team@orders.example.com", inbox["inbox_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("9lives")]
    [InlineData("cust_42.orders-eu")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl")]
    public async Task When_the_username_is_valid_Should_create_the_inbox(string username)
    {
        using var client = factory.AgentMail();

        var inbox = await client.CreateInboxAsync(new { username });

        Assert.Equal($"{username}@agentmail.to", inbox["inbox_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "too_small")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm", "too_big")]
    [InlineData("-orders", "invalid_format")]
    [InlineData("orders-", "invalid_format")]
    [InlineData(".orders", "invalid_format")]
    [InlineData("ord..ers", "invalid_format")]
    [InlineData("two words", "invalid_format")]
    [InlineData("a@b", "invalid_format")]
    [InlineData("bestellüng", "invalid_format")]
    [InlineData("plus+tag", "invalid_format")]
    public async Task When_the_username_breaks_the_rules_Should_answer_400_ValidationError_with_errors(string username, string code)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Post, Inboxes, new { username });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationError", reply.Json["name"]!.GetValue<string>());
        Assert.Equal("username", reply.FirstIssuePath);
        Assert.Equal(code, reply.FirstIssueCode);
        Assert.False(string.IsNullOrEmpty(reply.Json["errors"]![0]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_a_member_has_the_wrong_type_Should_answer_the_zod_invalid_type_issue()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, """{"username":5}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var expected = JsonNode.Parse("""
            {"name":"ValidationError","errors":[{"expected":"string","code":"invalid_type","path":["username"],"message":"Invalid input: expected string, received number"}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, reply.Body), reply.Body!.ToJsonString());
    }

    [Fact]
    public async Task When_several_members_are_wrong_Should_list_every_issue()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, """{"username":"-x","client_id":"a@b","domain":"nodot"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var paths = reply.Json["errors"]!.AsArray().Select(e => e!["path"]![0]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal("client_id domain username", string.Join(' ', paths));
    }

    [Theory]
    [InlineData("{\"username\":")]
    [InlineData("{\"username\":\"a\",\"username\":\"b\"}")]
    public async Task When_the_body_is_not_json_Should_answer_400_ValidationError(string body)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationError", reply.Json["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_body_has_members_the_schema_lacks_Should_ignore_them()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, """{"username":"extra","status":"active","inbox_id":"other@agentmail.to"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("extra@agentmail.to", reply.Json["inbox_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_username_is_taken_Should_answer_403_IsTakenError_with_free_suggestions()
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "hello" });

        var reply = await client.SendAsync(HttpMethod.Post, Inboxes, new { username = "hello", client_id = "another-key" });

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("IsTakenError", reply.Json["name"]!.GetValue<string>());
        Assert.Equal("resource_taken", reply.Json["code"]!.GetValue<string>());
        Assert.Equal("Inbox is taken", reply.Json["message"]!.GetValue<string>());
        var suggestions = reply.Json.Strings("suggestions");
        Assert.Equal(3, suggestions.Count);
        Assert.Equal(3, suggestions.Distinct().Count());
        foreach (var suggestion in suggestions)
        {
            Assert.Matches("^hello[0-9]{4}$", suggestion);
            await client.CreateInboxAsync(new { username = suggestion });
        }
    }

    [Fact]
    public async Task When_the_same_username_is_on_another_domain_Should_not_be_taken()
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "orders" });

        var inbox = await client.CreateInboxAsync(new { username = "orders", domain = "shop.example" });

        Assert.Equal("orders@shop.example", inbox["inbox_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_client_id_is_replayed_Should_answer_200_with_the_stored_original()
    {
        using var client = factory.AgentMail();
        var original = await client.CreateInboxAsync(new { username = "first", display_name = "First", client_id = "inbox-for-user-7", metadata = new { tier = "gold" } });

        var replay = await client.SendAsync(HttpMethod.Post, Inboxes, new { username = "second", display_name = "Second", client_id = "inbox-for-user-7" });

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.True(JsonNode.DeepEquals(original, replay.Body), replay.Body!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{Inboxes}/second@agentmail.to")).Status);
        Assert.Equal(1, (await client.SendAsync(HttpMethod.Get, Inboxes)).Json["count"]!.GetValue<int>());
    }

    public static TheoryData<string, string> BadClientIds => new()
    {
        { "user@example.com", "invalid_format" },
        { "with space", "invalid_format" },
        { "slash/id", "invalid_format" },
        { "", "too_small" },
        { new string('c', 257), "too_big" },
    };

    [Theory]
    [MemberData(nameof(BadClientIds))]
    public async Task When_the_client_id_breaks_the_rules_Should_answer_400(string clientId, string code)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Post, Inboxes, new { client_id = clientId });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("client_id", reply.FirstIssuePath);
        Assert.Equal(code, reply.FirstIssueCode);
    }

    [Fact]
    public async Task When_the_client_id_uses_every_allowed_character_at_the_longest_Should_be_accepted()
    {
        using var client = factory.AgentMail();
        var clientId = ("AZaz09-._~" + new string('k', 256))[..256];

        var inbox = await client.CreateInboxAsync(new { client_id = clientId });

        Assert.Equal(clientId, inbox["client_id"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadMetadata => new()
    {
        { Metadata(Enumerable.Range(0, 257).Select(i => ($"k{i}", (JsonNode?)"v"))), "metadata", "too_big" },
        { Metadata([(new string('k', 257), "v")]), $"metadata.{new string('k', 257)}", "too_big" },
        { Metadata([("note", new string('v', 257))]), "metadata.note", "too_big" },
        { Metadata([("nested", new JsonObject { ["a"] = 1 })]), "metadata.nested", "invalid_type" },
        { Metadata([("list", new JsonArray(1, 2))]), "metadata.list", "invalid_type" },
        { Metadata([("gone", null)]), "metadata.gone", "invalid_type" },
        { """{"metadata":"customer=42"}""", "metadata", "invalid_type" },
        { """{"metadata":null}""", "metadata", "invalid_type" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public async Task When_metadata_breaks_the_limits_Should_answer_400(string body, string path, string code)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(path, reply.FirstIssuePath);
        Assert.Equal(code, reply.FirstIssueCode);
    }

    [Fact]
    public async Task When_metadata_is_at_the_limits_Should_keep_it_as_sent()
    {
        using var client = factory.AgentMail();
        var entries = Enumerable.Range(0, 253).Select(i => ($"k{i}", (JsonNode?)$"v{i}"))
            .Append((new string('k', 256), (JsonNode?)new string('v', 256)))
            .Append(("amount", (JsonNode?)12.5))
            .Append(("vip", (JsonNode?)false));
        var body = Metadata(entries);

        var reply = await client.SendRawAsync(HttpMethod.Post, Inboxes, body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body)!["metadata"], reply.Json["metadata"]));
    }

    private static string Metadata(IEnumerable<(string Key, JsonNode? Value)> entries)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in entries)
        {
            metadata[key] = value;
        }

        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }
}

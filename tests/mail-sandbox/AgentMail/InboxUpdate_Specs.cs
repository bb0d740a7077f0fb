using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>PATCH /v0/inboxes/{inbox_id}</c>: display name, metadata merge semantics, and the 400s and 404.</summary>
public sealed class InboxUpdate_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Inbox = $"{InboxHttp.V0}/inboxes/cust-9@agentmail.to";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_display_name_is_patched_Should_change_only_it()
    {
        using var client = factory.AgentMail();
        var created = await CreateAsync(client, """{"a":"1","b":2}""");

        var reply = await client.SendAsync(HttpMethod.Patch, Inbox, new { display_name = "Acme Orders EU" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("Acme Orders EU", reply.Json["display_name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(created["metadata"], reply.Json["metadata"]));
        Assert.Equal(created["created_at"]!.GetValue<string>(), reply.Json["created_at"]!.GetValue<string>());
        Assert.True(Time(reply.Json["updated_at"]) > Time(created["updated_at"]));
        Assert.True(JsonNode.DeepEquals(reply.Body, (await client.SendAsync(HttpMethod.Get, Inbox)).Body));
    }

    [Fact]
    public async Task When_metadata_is_patched_Should_set_included_keys_keep_omitted_ones_and_remove_null_ones()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"keep":"1","overwrite":"old","remove":"x"}""");

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, """{"metadata":{"overwrite":"new","remove":null,"added":true}}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var expected = JsonNode.Parse("""{"keep":"1","overwrite":"new","added":true}""");
        Assert.True(JsonNode.DeepEquals(expected, reply.Json["metadata"]), reply.Json["metadata"]?.ToJsonString());
        Assert.Equal("Customer 9", reply.Json["display_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_metadata_is_null_Should_clear_every_key()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"a":"1","b":"2"}""");

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, """{"metadata":null}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Json.ContainsKey("metadata"));
        Assert.False((await client.SendAsync(HttpMethod.Get, Inbox)).Json.ContainsKey("metadata"));
    }

    [Fact]
    public async Task When_the_last_key_is_removed_Should_leave_no_metadata()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"only":"1"}""");

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, """{"metadata":{"only":null}}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Json.ContainsKey("metadata"));
    }

    [Fact]
    public async Task When_metadata_is_an_empty_object_Should_answer_400()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"a":"1"}""");

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, """{"metadata":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("metadata", reply.FirstIssuePath);
        Assert.Equal("1", (await client.SendAsync(HttpMethod.Get, Inbox)).Json["metadata"]!["a"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"username":"renamed","domain":"example.com"}""")]
    [InlineData("")]
    public async Task When_the_patch_has_neither_display_name_nor_metadata_Should_answer_400(string body)
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"a":"1"}""");

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationError", reply.Json["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"metadata":{"nested":{"a":1}}}""", "metadata.nested")]
    [InlineData("""{"metadata":["a"]}""", "metadata")]
    [InlineData("""{"display_name":null}""", "display_name")]
    [InlineData("""{"display_name":7}""", "display_name")]
    public async Task When_a_member_is_invalid_Should_answer_400_naming_it(string body, string path)
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"a":"1"}""");

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(path, reply.FirstIssuePath);
    }

    [Fact]
    public async Task When_the_merge_would_pass_256_keys_Should_answer_400_and_change_nothing()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, Keys("old", 200));

        var reply = await client.SendRawAsync(HttpMethod.Patch, Inbox, $$"""{"metadata":{{Keys("new", 57)}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("validation_error", reply.Json["code"]!.GetValue<string>());
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, Inbox)).Json["metadata"]!.AsObject().Count);
    }

    [Fact]
    public async Task When_display_name_is_empty_Should_remove_it()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"a":"1"}""");

        var reply = await client.SendAsync(HttpMethod.Patch, Inbox, new { display_name = "" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Json.ContainsKey("display_name"));
    }

    [Fact]
    public async Task When_patched_by_percent_encoded_address_Should_update_the_inbox()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, """{"a":"1"}""");

        var reply = await client.SendAsync(HttpMethod.Patch, $"{InboxHttp.V0}/inboxes/cust-9%40agentmail.to", new { display_name = "Encoded" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("Encoded", (await client.SendAsync(HttpMethod.Get, Inbox)).Json["display_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_inbox_does_not_exist_Should_answer_404()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Patch, $"{InboxHttp.V0}/inboxes/nobody@agentmail.to", new { display_name = "x" });

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("Inbox not found", reply.Json["message"]!.GetValue<string>());
    }

    private static async Task<JsonObject> CreateAsync(HttpClient client, string metadata)
    {
        var reply = await client.SendRawAsync(HttpMethod.Post, $"{InboxHttp.V0}/inboxes", $$"""{"username":"cust-9","display_name":"Customer 9","metadata":{{metadata}}}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    private static string Keys(string prefix, int count)
    {
        var keys = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            keys[$"{prefix}{i}"] = i;
        }

        return keys.ToJsonString();
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}

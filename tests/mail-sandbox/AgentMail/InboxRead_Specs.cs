using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>GET /v0/inboxes/{inbox_id}</c>: by raw or percent-encoded address, and 404 for one that does not exist.</summary>
public sealed class InboxRead_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_got_by_raw_or_percent_encoded_address_Should_return_the_same_inbox()
    {
        using var client = factory.AgentMail();
        var created = await client.CreateInboxAsync(new { username = "cust-7", display_name = "Customer 7" });

        var raw = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/cust-7@agentmail.to");
        var encoded = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/{Uri.EscapeDataString("cust-7@agentmail.to")}");

        Assert.Contains("cust-7@agentmail.to", raw.RequestUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("cust-7%40agentmail.to", encoded.RequestUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, raw.Status);
        Assert.Equal(HttpStatusCode.OK, encoded.Status);
        Assert.True(JsonNode.DeepEquals(created, raw.Body));
        Assert.True(JsonNode.DeepEquals(created, encoded.Body));
    }

    [Fact]
    public async Task When_got_with_other_capitals_Should_return_the_inbox()
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "cust-8" });

        var reply = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/CUST-8@AgentMail.to");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("cust-8@agentmail.to", reply.Json["inbox_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_inbox_does_not_exist_Should_answer_404_NotFoundError()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/nobody%40agentmail.to");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"NotFoundError","code":"not_found","message":"Inbox not found"}"""), reply.Body), reply.Body!.ToJsonString());
    }

    [Fact]
    public async Task When_called_without_a_key_Should_answer_401()
    {
        using var client = factory.CreateClient();

        var reply = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }
}

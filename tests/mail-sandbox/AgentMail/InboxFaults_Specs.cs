using System.Net;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>Fault rules aimed at the inbox and webhook operations by name: the error answered, then normal service.</summary>
public sealed class InboxFaults_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_a_429_fault_targets_inboxes_create_once_Should_answer_it_with_Retry_After_then_create()
    {
        using var client = factory.AgentMail();
        await factory.AddFaultAsync(new { api = "agentmail", operation = "inboxes.create", error_status = 429, retry_after_seconds = 2, times = 1 });

        var limited = await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/inboxes", new { username = "patient" });
        var retried = await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/inboxes", new { username = "patient" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", limited.Json["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(limited.Json["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("patient@agentmail.to", retried.Json["inbox_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_fault_targets_inboxes_star_Should_hit_inbox_operations_only()
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "steady" });
        await factory.AddFaultAsync(new { api = "agentmail", operation = "inboxes.*", error_status = 503 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/steady@agentmail.to")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/webhooks")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/steady@agentmail.to/webhooks")).Status);
    }

    /// <summary>
    /// replay_deleted plays the worst AgentMail's documentation allows: a create under a deleted inbox's client_id answers
    /// that inbox as stored, which stays deleted; a new client_id still creates, and the rule counts only the replay.
    /// </summary>
    [Fact]
    public async Task When_a_replay_deleted_fault_targets_inboxes_create_Should_answer_the_deleted_inbox_under_its_client_id()
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "gone", client_id = "inbox-gone", metadata = new { order_ref = "ORD-1" } });
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"{InboxHttp.V0}/inboxes/gone@agentmail.to")).Status);
        var rule = await factory.AddFaultAsync(new { api = "agentmail", operation = "inboxes.create", replay_deleted = true });

        var replayed = await client.CreateInboxAsync(new { username = "again", client_id = "inbox-gone", metadata = new { order_ref = "ORD-2" } });
        var fresh = await client.CreateInboxAsync(new { username = "fresh", client_id = "inbox-fresh" });

        Assert.Equal("gone@agentmail.to", replayed["inbox_id"]!.GetValue<string>());
        Assert.Equal("ORD-1", replayed["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/gone@agentmail.to")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Patch, $"{InboxHttp.V0}/inboxes/gone@agentmail.to", new { metadata = new { order_ref = "ORD-2" } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/again@agentmail.to")).Status);
        Assert.Equal("fresh@agentmail.to", fresh["inbox_id"]!.GetValue<string>());
        var applied = (await factory.FaultsAsync()).Single(f => f!["id"]!.GetValue<string>() == rule["id"]!.GetValue<string>())!["applied"]!.GetValue<long>();
        Assert.Equal(1, applied);
    }

    [Theory]
    [InlineData("webhooks.get", "/webhooks/ep_missing")]
    [InlineData("webhooks.list", "/webhooks")]
    [InlineData("inbox_webhooks.list", "/inboxes/steady@agentmail.to/webhooks")]
    [InlineData("inboxes.get", "/inboxes/steady@agentmail.to")]
    public async Task When_a_500_fault_targets_a_read_operation_Should_answer_the_AgentMail_error_body(string operation, string path)
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "steady" });
        await factory.AddFaultAsync(new { api = "agentmail", operation, error_status = 500, times = 1 });

        var reply = await client.SendAsync(HttpMethod.Get, InboxHttp.V0 + path);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("internal_error", reply.Json["code"]!.GetValue<string>());
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The <c>stored_differs</c> fault on webhook creates: the POST answer echoes the request while what is stored, and
/// what get and list return, has drifted. A reconcile step (get after create) must catch it.
/// </summary>
public sealed class WebhookStoredDiffers_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string A = "a@agentmail.to";
    private const string B = "b@agentmail.to";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_org_wide_drift_hits_Should_echo_the_scope_but_store_none_and_deliver_every_inboxs_events()
    {
        using var client = await InboxesAsync(A, B);
        await using var receiver = await WebhookReceiver.StartAsync();
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "org_wide", times = 1 });

        var created = await client.CreateWebhookAsync(new { url = receiver.Url("/drifted"), event_types = WebhookHttp.Received, inbox_ids = new[] { A } });
        var got = await client.GetWebhookAsync(created.WebhookId());
        var listed = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/webhooks");

        Assert.Equal(A, Assert.Single(created.Strings("inbox_ids")));
        Assert.False(got.ContainsKey("inbox_ids"));
        Assert.False(listed.Json["webhooks"]![0]!.AsObject().ContainsKey("inbox_ids"));
        Assert.Equal(created["secret"]!.GetValue<string>(), got["secret"]!.GetValue<string>());
        var store = factory.Services.GetRequiredService<AgentMailStore>();
        Assert.Contains(store.SubscribersOf(B, "message.received"), w => w.WebhookId == created.WebhookId());

        factory.Services.GetRequiredService<AgentMailEvents>().Raise(B, "message.received", new Dictionary<string, object> { ["message"] = new { inbox_id = B } });

        var delivery = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal("/drifted", delivery.Path);
        Assert.Contains(B, delivery.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_other_inbox_drift_hits_Should_store_another_existing_inbox()
    {
        using var client = await InboxesAsync(A, B);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "other_inbox" });

        var created = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A } });

        Assert.Equal(A, Assert.Single(created.Strings("inbox_ids")));
        Assert.Equal(B, Assert.Single((await client.GetWebhookAsync(created.WebhookId())).Strings("inbox_ids")));
    }

    [Fact]
    public async Task With_an_apply_rate_Should_store_that_share_drifted_and_count_it()
    {
        using var client = await InboxesAsync(A, B);
        var rule = await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "org_wide", apply_rate = 0.5 });

        var created = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            created.Add((await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A } })).WebhookId());
        }

        var orgWide = 0;
        foreach (var id in created)
        {
            orgWide += (await client.GetWebhookAsync(id)).ContainsKey("inbox_ids") ? 0 : 1;
        }

        var applied = (await factory.FaultsAsync()).Single(f => f!["id"]!.GetValue<string>() == rule["id"]!.GetValue<string>())!["applied"]!.GetValue<long>();
        Assert.InRange(orgWide, 5, 35);
        Assert.Equal(orgWide, applied);
    }

    [Fact]
    public async Task When_other_inbox_drift_finds_no_other_inbox_Should_store_a_made_up_one()
    {
        using var client = await InboxesAsync(A);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "other_inbox", times = 1 });

        var created = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A } });
        var stored = Assert.Single((await client.GetWebhookAsync(created.WebhookId())).Strings("inbox_ids"));

        Assert.NotEqual(A, stored);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/{stored}")).Status);
    }

    [Fact]
    public async Task When_missing_event_type_drift_hits_Should_store_without_the_first_event_type()
    {
        using var client = factory.AgentMail();
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.*", stored_differs = "missing_event_type", times = 1 });

        var created = await client.SendRawAsync(HttpMethod.Post, $"{InboxHttp.V0}/webhooks", $$"""{"url":"{{WebhookHttp.Url}}","event_types":["message.received","message.bounced"]}""");
        var got = await client.GetWebhookAsync(created.Json.WebhookId());

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("message.received message.bounced", string.Join(' ', created.Json.Strings("event_types")));
        Assert.Equal("message.bounced", Assert.Single(got.Strings("event_types")));
    }

    [Fact]
    public async Task When_drift_hits_an_inbox_scoped_create_Should_echo_the_inbox_but_store_it_org_wide()
    {
        using var client = await InboxesAsync(A, B);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "inbox_webhooks.create", stored_differs = "org_wide", times = 1 });

        var created = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        Assert.Equal(A, Assert.Single(created.Strings("inbox_ids")));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/{A}/webhooks/{created.WebhookId()}")).Status);
        Assert.False((await client.GetWebhookAsync(created.WebhookId())).ContainsKey("inbox_ids"));
    }

    [Fact]
    public async Task When_other_inbox_drift_hits_an_inbox_scoped_create_Should_store_the_other_inbox()
    {
        using var client = await InboxesAsync(A, B);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "inbox_webhooks.create", stored_differs = "other_inbox", times = 1 });

        var created = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        Assert.Equal(A, Assert.Single(created.Strings("inbox_ids")));
        Assert.Equal(B, Assert.Single((await client.GetWebhookAsync(created.WebhookId())).Strings("inbox_ids")));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/inboxes/{B}/webhooks/{created.WebhookId()}")).Status);
    }

    [Fact]
    public async Task When_the_fault_is_used_up_Should_store_the_next_create_as_sent()
    {
        using var client = await InboxesAsync(A, B);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "org_wide", times = 1 });
        await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A } });

        var next = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A } });

        Assert.Equal(A, Assert.Single((await client.GetWebhookAsync(next.WebhookId())).Strings("inbox_ids")));
    }

    [Fact]
    public async Task When_a_create_is_rejected_Should_not_use_up_the_fault()
    {
        using var client = await InboxesAsync(A, B);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "org_wide", times = 1 });
        await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/webhooks", new { url = WebhookHttp.Url, inbox_ids = new[] { A } });

        var created = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A } });

        Assert.False((await client.GetWebhookAsync(created.WebhookId())).ContainsKey("inbox_ids"));
    }

    [Fact]
    public async Task When_a_fault_targets_org_creates_Should_leave_inbox_scoped_creates_alone()
    {
        using var client = await InboxesAsync(A, B);
        await factory.AddFaultAsync(new { api = "agentmail", operation = "webhooks.create", stored_differs = "org_wide" });

        var created = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        Assert.Equal(A, Assert.Single((await client.GetWebhookAsync(created.WebhookId())).Strings("inbox_ids")));
    }

    private async Task<HttpClient> InboxesAsync(params string[] inboxIds)
    {
        var client = factory.AgentMail();
        foreach (var inboxId in inboxIds)
        {
            await client.CreateInboxIdAsync(inboxId.Split('@')[0]);
        }

        return client;
    }
}

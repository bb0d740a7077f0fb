using OrdersMail.MailSandbox.AgentMail.Webhooks;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The sandbox's webhooks, looked up by scope and <c>client_id</c> from indexes instead of scans: which webhooks an
/// event reaches, and what a create replays, follow every store, replace and delete.
/// </summary>
public sealed class WebhookTable_Specs
{
    private const string A = "a@agentmail.to";
    private const string B = "b@agentmail.to";
    private const string Received = "message.received";
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void When_an_event_is_raised_Should_reach_the_inboxs_its_pods_and_the_org_wide_webhooks_that_take_its_type()
    {
        var table = new WebhookTable();
        table.Put(Webhook("ep_inbox", 1, inboxIds: [A]));
        table.Put(Webhook("ep_pod", 2, podIds: ["pod_1"]));
        table.Put(Webhook("ep_org", 3));
        table.Put(Webhook("ep_other_inbox", 4, inboxIds: [B]));
        table.Put(Webhook("ep_other_pod", 5, podIds: ["pod_2"]));
        table.Put(Webhook("ep_disabled", 6, inboxIds: [A]) with { Enabled = false });
        table.Put(Webhook("ep_other_type", 7, inboxIds: [A]) with { EventTypes = ["message.sent"] });

        Assert.Equal(["ep_inbox", "ep_pod", "ep_org"], Ids(table.Receiving("A@AgentMail.to", "pod_1", Received)));
        Assert.Equal(["ep_inbox", "ep_org"], Ids(table.Receiving(A, podId: null, Received)));
        Assert.Equal(["ep_other_type"], Ids(table.Receiving(A, podId: null, "message.sent")));
    }

    [Fact]
    public void When_a_webhook_is_replaced_or_deleted_Should_be_found_by_its_new_scope_only()
    {
        var table = new WebhookTable();
        table.Put(Webhook("ep_1", 1, inboxIds: [A]));

        table.Put(Webhook("ep_1", 1));
        Assert.Empty(table.ScopedTo(A));
        Assert.Equal(["ep_1"], Ids(table.Receiving(B, podId: null, Received)));

        table.Put(Webhook("ep_1", 1, inboxIds: [B]));
        Assert.Empty(table.Receiving(A, podId: null, Received));
        Assert.Equal(["ep_1"], Ids(table.ScopedTo(B)));

        Assert.True(table.Remove("ep_1"));
        Assert.Empty(table.ScopedTo(B));
        Assert.Empty(table.Receiving(B, podId: null, Received));
        Assert.False(table.TryGetValue("ep_1", out _));
        Assert.Empty(table.OldestFirst);
    }

    [Fact]
    public void When_a_webhook_was_created_with_a_client_id_Should_replay_it_until_it_is_deleted()
    {
        var table = new WebhookTable();
        table.Put(Webhook("ep_1", 1, inboxIds: [A]) with { ClientId = "customer-1" });
        table.Put(Webhook("ep_1", 1, inboxIds: [A]) with { ClientId = "customer-1", Enabled = false });

        Assert.False(table.WithClientId("customer-1")!.Enabled);
        Assert.Null(table.WithClientId("customer-2"));

        table.Remove("ep_1");
        Assert.Null(table.WithClientId("customer-1"));

        table.Put(Webhook("ep_2", 2, inboxIds: [A]) with { ClientId = "customer-1" });
        Assert.Equal("ep_2", table.WithClientId("customer-1")!.WebhookId);
        table.Clear();
        Assert.Null(table.WithClientId("customer-1"));
        Assert.Empty(table.OldestFirst);
    }

    [Fact]
    public void When_webhooks_change_Should_list_them_oldest_first_as_they_are_now()
    {
        var table = new WebhookTable();
        table.Put(Webhook("ep_b", 2));
        table.Put(Webhook("ep_c", 1));
        table.Put(Webhook("ep_a", 2));
        Assert.Equal(["ep_c", "ep_a", "ep_b"], Ids(table.OldestFirst));

        var handedOut = table.OldestFirst;
        table.Remove("ep_a");
        table.Put(Webhook("ep_d", 0));

        Assert.Equal(["ep_d", "ep_c", "ep_b"], Ids(table.OldestFirst));
        Assert.Equal(["ep_c", "ep_a", "ep_b"], Ids(handedOut));
    }

    private static string[] Ids(IEnumerable<StoredWebhook> webhooks) => [.. webhooks.Select(w => w.WebhookId)];

    private static StoredWebhook Webhook(string id, int minute, string[]? inboxIds = null, string[]? podIds = null) => new()
    {
        WebhookId = id,
        Url = "http://127.0.0.1:5300/webhooks/agentmail",
        EventTypes = [Received],
        InboxIds = inboxIds ?? [],
        PodIds = podIds ?? [],
        Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        CreatedAt = Start.AddMinutes(minute),
        UpdatedAt = Start.AddMinutes(minute),
    };
}

using OrdersMail.MailSandbox.AgentMail.Inboxes;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The sandbox's inboxes, found by id (whatever its case) and by the <c>client_id</c> a create replays from an index
/// instead of a scan: the index follows every store, replace and delete.
/// </summary>
public sealed class InboxTable_Specs
{
    private const string A = "a@agentmail.to";

    [Fact]
    public void When_an_inbox_was_created_with_a_client_id_Should_replay_it_through_updates_until_it_is_deleted()
    {
        var table = new InboxTable();
        table.Put(Inbox(A, "customer-1"));
        table.Put(Inbox(A, "customer-1") with { DisplayName = "Jane" });

        Assert.Equal("Jane", table.WithClientId("customer-1")!.DisplayName);
        Assert.Equal("Jane", table.Find("A@AgentMail.to")!.DisplayName);
        Assert.Single(table.OldestFirst);
        Assert.Null(table.WithClientId("customer-2"));

        Assert.True(table.Remove("A@AGENTMAIL.TO", out var removed));
        Assert.Equal(A, removed.InboxId);
        Assert.Null(table.WithClientId("customer-1"));
        Assert.False(table.ContainsKey(A));

        table.Put(Inbox("b@agentmail.to", "customer-1"));
        Assert.Equal("b@agentmail.to", table.WithClientId("customer-1")!.InboxId);
        table.Clear();
        Assert.Null(table.WithClientId("customer-1"));
        Assert.Empty(table.OldestFirst);
    }

    private static StoredInbox Inbox(string inboxId, string clientId) => new()
    {
        PodId = "pod_sandbox",
        InboxId = inboxId,
        Email = inboxId,
        ClientId = clientId,
        UpdatedAt = DateTimeOffset.UtcNow,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}

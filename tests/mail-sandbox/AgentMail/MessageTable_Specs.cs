using OrdersMail.MailSandbox.AgentMail.Messages;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The sandbox's messages, kept by key and grouped by inbox so that a thread's summary, a listing and an inbox's delete
/// read one inbox's messages instead of every message the sandbox holds: the groups follow every store and delete.
/// </summary>
public sealed class MessageTable_Specs
{
    private const string A = "a@agentmail.to";
    private const string B = "b@agentmail.to";

    [Fact]
    public void When_messages_are_stored_and_replaced_Should_group_each_once_under_its_inbox()
    {
        var table = new MessageTable();
        table[(A, "<1@x>")] = StoredMessages.Received(A, "<1@x>", "received");
        table[(A, "<2@x>")] = StoredMessages.Received(A, "<2@x>", "received");
        table[(B, "<3@x>")] = StoredMessages.Received(B, "<3@x>", "received");

        table[(A, "<1@x>")] = StoredMessages.Received(A, "<1@x>", "read");

        Assert.Equal(["<1@x>:read", "<2@x>:received"], Summary(table.InInbox("A@AgentMail.to")));
        Assert.Equal(["<3@x>:received"], Summary(table.InInbox(B)));
        Assert.Empty(table.InInbox("c@agentmail.to"));
        Assert.Equal("read", table[(A, "<1@x>")].Labels[0]);
    }

    [Fact]
    public void When_an_inbox_is_removed_Should_delete_its_messages_only()
    {
        var table = new MessageTable();
        table[(A, "<1@x>")] = StoredMessages.Received(A, "<1@x>", "received");
        table[(B, "<2@x>")] = StoredMessages.Received(B, "<2@x>", "received");

        table.RemoveInbox("A@agentmail.TO");

        Assert.False(table.ContainsKey((A, "<1@x>")));
        Assert.Empty(table.InInbox(A));
        Assert.Equal([(B, "<2@x>")], table.Keys);
        Assert.True(table.TryGetValue((B, "<2@x>"), out _));

        table.Clear();
        Assert.Empty(table.Keys);
        Assert.Empty(table.InInbox(B));
    }

    private static string[] Summary(IEnumerable<StoredMessage> messages) =>
        [.. messages.Select(m => $"{m.MessageId}:{m.Labels[0]}").Order(StringComparer.Ordinal)];
}

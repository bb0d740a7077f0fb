using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Addresses AgentMail sends nothing to any more: after a bounce, a complaint or a rejection it refuses every later send
/// to the address (docs/agentmail.md §4) with 403 <c>message_rejected</c>, so a reply written to one would fail unread.
/// Known from the agent's earlier replies to the address, on any order, as their delivery events left them.
/// </summary>
internal static class BlockedRecipients
{
    // A bounce counts unless its type (the detail's first word, "Transient MailboxFull") says it was soft: AgentMail's
    // suppression follows Amazon SES's, which keeps hard bounces, and the tracker leaves a soft-bounced reply to be sent
    // again (docs/agentmail.md §4). A failure counts only when AgentMail rejected the reply: its message.rejected, whose detail the inbound-router writes
    // as "rejected by AgentMail: ...", or its 403 message_rejected answer to the send, which the AgentMail client words
    // "AgentMail messages.reply answered 403 message_rejected: ...". Any other failure (a broken file, a 404) says nothing
    // of the address. A reply is known by its claim, whose sender is set before the reply exists, or, for a copy ops sent
    // again, by its kind and recipients, which its OutboundEmailQueued brings.

    // Looked up from the address: the agent's replies to it (agent_replies_by_sender), then the few copies ops sent again.
    // Read from the undeliverable emails instead, every message the agent may answer cost a probe per bounced or failed
    // email of every customer, confirmations included, a number that only grows.
    private const string Undeliverable =
        """
        e.state in ('bounced', 'complained', 'failed')
        and case e.state
                when 'bounced' then coalesce(e.detail, '') not like 'Transient%' and coalesce(e.detail, '') not like 'Undetermined%'
                when 'failed' then e.detail like 'rejected by AgentMail:%' or e.detail like '% 403 message_rejected%'
                else true
            end
        """;

    /// <summary>True when an earlier agent reply to <paramref name="address"/> (a bare address) bounced for good, drew a complaint or was rejected.</summary>
    public static Task<bool> IsBlockedAsync(NpgsqlTransaction transaction, string address, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            select exists (
                select 1 from agent_replies r join order_emails e on e.email_id = r.email_id
                where r.sender = lower(@Address) and {Undeliverable})
            or exists (
                select 1 from order_emails e
                where e.sent_again_of is not null and e.kind = 'agent_reply' and {Undeliverable}
                  and exists (select 1 from unnest(e.recipients) a where lower(a) = lower(@Address)))
            """,
            new { Address = address },
            transaction,
            cancellationToken: cancellationToken));
}

using Dapper;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// What must hold after the inbound storm, per email: the sandbox had it accepted; inbound-router decided it once,
/// routed and not parked, and published its routing once; orders-api has it once in its customer's order's
/// conversation; the agent claimed and wrote one reply; delivery-tracker sent that reply; and the sandbox's AgentMail
/// holds exactly one reply to it (its send log).
/// </summary>
public static class InboundStormInvariants
{
    /// <summary>Checks every invariant for <paramref name="emails"/>; <paramref name="duplicated"/> is how many events the sandbox delivered twice.</summary>
    public static async Task CheckAsync(ScenarioContext context, IReadOnlyList<InboundEmail> emails, long duplicated, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(emails);
        ArgumentNullException.ThrowIfNull(report);
        var messageIds = emails.Select(e => e.MessageId).ToArray();
        var ours = messageIds.ToHashSet(StringComparer.Ordinal);
        var name = InboundStorm.Name;

        var kept = await context.Sandbox.WebhookAttemptsAsync("agentmail");
        var attemptsMade = await context.Sandbox.WebhookAttemptsRecordedAsync("agentmail");
        var attempts = kept
            .Where(a => a["event_type"]?.GetValue<string>() == "message.received")
            .Select(a => (MessageId: InboundStorm.MessageIdOf(a), SvixId: a["svix_id"]!.GetValue<string>(), Ok: a["status_code"]?.GetValue<int>() is >= 200 and < 300))
            .Where(a => ours.Contains(a.MessageId))
            .ToList();
        var accepted = attempts.Where(a => a.Ok).GroupBy(a => a.MessageId).ToDictionary(g => g.Key, g => g.Select(a => a.SvixId).ToList());
        // An email with no attempt left in the sandbox's log was pushed out of it, not refused: say so, it cannot be checked.
        var seen = attempts.Select(a => a.MessageId).ToHashSet(StringComparer.Ordinal);
        var dropped = attemptsMade > kept.Count ? $"no attempt kept: the sandbox keeps the last {kept.Count} of {attemptsMade} AgentMail attempts (MailSandbox:KeptWebhookAttempts)" : "no attempt";
        Check("the router accepted every email's webhook (2xx to the sandbox)", e => accepted.ContainsKey(e.MessageId) ? null : seen.Contains(e.MessageId) ? "no 2xx attempt" : dropped);
        var twice = accepted.Values.Count(svixIds => svixIds.Count >= 2 && svixIds.Distinct().Count() < svixIds.Count);
        report.Check(name, "the sandbox delivered some events twice (one svix-id answered 2xx twice)", duplicated > 0 && twice > 0,
            $"{duplicated} events duplicated by the fault, {twice} svix-ids answered 2xx twice");

        await using var connection = await context.Database.OpenConnectionAsync();
        var routed = (await connection.QueryAsync<(string InboxId, string MessageId)>(
            "select inbox_id, message_id from inbound.routed_messages where message_id = any(@messageIds)", new { messageIds }))
            .ToLookup(r => r.MessageId, r => r.InboxId);
        Check("inbound-router decided each email once, for its inbox", e => routed[e.MessageId].ToList() is [var inbox] && inbox == e.InboxId ? null : $"{routed[e.MessageId].Count()} decisions");
        // The decision's row cannot be written twice (its key is the email), so "once" is asked of what a decision
        // publishes: one InboundMessageRouted per email in the router's outbox.
        var published = (await connection.QueryAsync<(string MessageId, long Count)>(
            """
            select payload ->> 'messageId', count(*) from inbound.outbox_messages
            where message_type = @Type and payload ->> 'messageId' = any(@messageIds) group by 1
            """,
            new { Type = typeof(InboundMessageRouted).FullName, messageIds })).ToDictionary(p => p.MessageId, p => p.Count);
        Check("inbound-router published each email's routing once", e => published.GetValueOrDefault(e.MessageId) == 1 ? null : $"{published.GetValueOrDefault(e.MessageId)} InboundMessageRouted");
        var parked = (await connection.QueryAsync<(string MessageId, string Reason)>(
            "select message_id, reason from inbound.parked_messages where message_id = any(@messageIds)", new { messageIds })).ToDictionary(p => p.MessageId, p => p.Reason);
        Check("no email parked", e => parked.TryGetValue(e.MessageId, out var reason) ? $"parked: {reason}" : null);

        var recorded = (await connection.QueryAsync<(string MessageId, string UserId)>(
            """
            select m.message_id, o.user_id from orders.order_messages m join orders.orders o on o.id = m.order_id
            where m.message_id = any(@messageIds) and m.direction = 'inbound'
            """,
            new { messageIds })).ToLookup(m => m.MessageId, m => m.UserId);
        Check("orders-api has each email once, in an order of the customer who wrote it",
            e => recorded[e.MessageId].ToList() is [var user] && user == e.UserId ? null : $"{recorded[e.MessageId].Count()} conversation rows");

        var replies = (await connection.QueryAsync<(string MessageId, bool Written, string? SendState)>(
            """
            select r.message_id, r.written_at is not null, e.send_state from orders.agent_replies r
            left join delivery.outbound_emails e on e.email_id = r.email_id where r.message_id = any(@messageIds)
            """,
            new { messageIds })).ToLookup(r => r.MessageId);
        Check("one agent reply each, written to the outbox", e => replies[e.MessageId].ToList() is [{ Written: true }] ? null : $"{replies[e.MessageId].Count()} replies, written [{string.Join(",", replies[e.MessageId].Select(r => r.Written))}]");
        Check("delivery-tracker sent each reply", e => replies[e.MessageId].ToList() is [{ SendState: "sent" }] ? null : $"send states [{string.Join(",", replies[e.MessageId].Select(r => r.SendState ?? "none"))}]");

        var sentReplies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var inbox in emails.Select(e => e.InboxId).Distinct())
        {
            foreach (var message in await context.Sandbox.InboxMessagesAsync(inbox))
            {
                var labels = message["labels"]?.AsArray().Select(l => l!.GetValue<string>()) ?? [];
                if (labels.Contains("sent") && message["in_reply_to"]?.GetValue<string>() is { } answered)
                {
                    sentReplies[answered] = sentReplies.GetValueOrDefault(answered) + 1;
                }
            }
        }

        Check("each reply sent once (sandbox AgentMail send log)", e => sentReplies.GetValueOrDefault(e.MessageId) == 1 ? null : $"{sentReplies.GetValueOrDefault(e.MessageId)} replies sent");

        void Check(string invariant, Func<InboundEmail, string?> wrong)
        {
            var offenders = emails.Select(e => (e.MessageId, Wrong: wrong(e))).Where(e => e.Wrong is not null).Select(e => $"{e.MessageId}: {e.Wrong}").ToList();
            report.Check(name, invariant, offenders.Count == 0,
                offenders.Count == 0 ? $"{emails.Count} checked" : $"{offenders.Count} of {emails.Count} wrong, e.g. {string.Join(" | ", offenders.Take(3))}");
        }
    }
}

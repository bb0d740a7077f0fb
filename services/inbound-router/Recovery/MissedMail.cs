using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>
/// Mail an inbox received while no webhook fed it (its webhook deleted, disabled or changed at AgentMail until the
/// provisioner put it right): AgentMail kept the messages but posted no event, so nothing would ever route them. When
/// the inbox's webhook is replaced, the router lists what the inbox received over the
/// <see cref="RoutingOptions.MissedMailWindow"/> before that (<see cref="MissedMailPump"/>) and records each message
/// it has not decided yet in <c>received_events</c>, as the ingress records a webhook's, for the routing pump (which
/// reads the body, which a list leaves out). A decision is kept once per message (<c>routed_messages</c>), so a message
/// that also comes by webhook (Svix retries what the router refused while it knew no webhook) or is listed again is
/// routed once. Mail from senders AgentMail could not authenticate is listed only when asked for, and AgentMail does not
/// document how it marks it: what a listing with it holds and one without it lacks is recorded as such mail, which
/// routing parks for a person whatever it names, so none of it is taken for authenticated mail and none is dropped unseen.
/// </summary>
public sealed partial class MissedMail(
    NpgsqlDataSource dataSource,
    IAgentMailDirectory agentMail,
    RoutingSignal routing,
    MissedMailMetrics metrics,
    IOptions<RoutingOptions> options,
    ILogger<MissedMail> logger)
{
    /// <summary>The event type its rows are recorded under: the mail was received, and no webhook said so.</summary>
    public const string EventType = "message.received.missed";

    private readonly RoutingOptions _options = options.Value;

    /// <summary>
    /// Records the inbox's undecided mail received over the window before the look was asked for (or after where its
    /// last pass stopped) for routing, listing <see cref="RoutingOptions.MissedMailPages"/> pages at most of each listing.
    /// </summary>
    /// <exception cref="AgentMailUnavailableException">AgentMail could not be read; what was recorded stays recorded.</exception>
    public async Task<MissedMailPass> RecoverAsync(MissedMailLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var after = lookup.ResumeAfter ?? lookup.RequestedAt - _options.MissedMailWindow;

        // The listing with unauthenticated mail is read first: mail that arrives between the two listings is then in the
        // second, so it is never taken for unauthenticated; a message the second lacks was there when the first was read.
        var recorded = 0;
        var everything = await ListAsync(lookup.InboxId, after, includeUnauthenticated: true, _ => Task.CompletedTask, cancellationToken);
        var authenticated = everything is null
            ? null
            : await ListAsync(
                lookup.InboxId, after, includeUnauthenticated: false,
                async page => recorded += await RecordAsync(lookup.InboxId, page, unauthenticated: false, cancellationToken),
                cancellationToken);
        if (everything is null || authenticated is null)
        {
            // No such inbox (any more): its mail went with it.
            return Finish(lookup.InboxId, recorded, null);
        }

        // Only what the listing without it covered: past where it was cut short, the next pass tells the two apart.
        var listed = authenticated.Messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var unauthenticated = everything.Messages
            .Where(m => !listed.Contains(m.MessageId) && (authenticated.ResumeAfter is not { } end || m.Timestamp <= end))
            .ToList();
        recorded += await RecordAsync(lookup.InboxId, unauthenticated, unauthenticated: true, cancellationToken);
        return Finish(lookup.InboxId, recorded, new[] { everything.ResumeAfter, authenticated.ResumeAfter }.Min());
    }

    private MissedMailPass Finish(string inboxId, int recorded, DateTimeOffset? resumeAfter)
    {
        if (recorded > 0)
        {
            metrics.Recorded(recorded);
            LogRecovered(logger, recorded, inboxId);
            routing.Notify();
        }

        return new MissedMailPass(recorded, resumeAfter);
    }

    // Up to MissedMailPages pages of one listing, each handed to onPage as it comes; null when AgentMail has no such inbox.
    private async Task<Listing?> ListAsync(
        string inboxId, DateTimeOffset after, bool includeUnauthenticated, Func<IReadOnlyList<AgentMailMessageItem>, Task> onPage, CancellationToken cancellationToken)
    {
        var messages = new List<AgentMailMessageItem>();
        string? pageToken = null;
        for (var pages = 0; pages < _options.MissedMailPages; pages++)
        {
            if (await agentMail.ListReceivedAsync(inboxId, after, pageToken, includeUnauthenticated, cancellationToken) is not { } page)
            {
                return null;
            }

            messages.AddRange(page.Messages);
            await onPage(page.Messages);
            pageToken = page.NextPageToken;
            if (pageToken is null)
            {
                return new Listing(messages, null);
            }
        }

        return new Listing(messages, messages.Count > 0 ? ResumePoint(after, messages.Max(m => m.Timestamp)) : null);
    }

    // The list is oldest first and its "after" exclusive: the next pass lists from just before the newest message seen,
    // so one sharing its millisecond is not skipped (listed again, it is recorded once); strictly after it only when
    // a whole pass fell within that millisecond, so every pass moves on.
    private static DateTimeOffset ResumePoint(DateTimeOffset after, DateTimeOffset newest)
    {
        var justBefore = newest - TimeSpan.FromMilliseconds(1);
        return (justBefore > after ? justBefore : newest).ToUniversalTime();
    }

    private async Task<int> RecordAsync(string inboxId, IReadOnlyList<AgentMailMessageItem> messages, bool unauthenticated, CancellationToken cancellationToken)
    {
        // Decisions are kept under the inbox id as AgentMail spells it (routed_messages): a look asked for under another
        // spelling of the address would route the inbox's mail again, under a key that never saw it decided.
        var emails = messages
            .Where(m => string.Equals(m.InboxId, inboxId, StringComparison.Ordinal) && Keyable(m))
            .Select(m => Email(inboxId, m, unauthenticated))
            .ToList();
        if (emails.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into received_events (svix_id, event_id, inbox_id, event_type, email, trace_parent)
            select e.id, e.id, @InboxId, @EventType, e.email, @TraceParent
            from unnest(@Ids, @MessageIds, @Emails) as e (id, message_id, email)
            where not exists (select 1 from routed_messages r where r.inbox_id = @InboxId and r.message_id = e.message_id)
            on conflict do nothing
            """,
            new
            {
                InboxId = inboxId,
                EventType,
                TraceParent = TraceParents.Current(),
                Ids = emails.Select(e => e.EventId).ToArray(),
                MessageIds = emails.Select(e => e.MessageId).ToArray(),
                Emails = emails.Select(e => e.ToJson()).ToArray(),
            },
            cancellationToken: cancellationToken));
    }

    // Ids too long to be index keys are refused at the ingress too: such a message is left in AgentMail for a person.
    private bool Keyable(AgentMailMessageItem message)
    {
        if (WebhookIdLimits.TooLong(("message_id", message.MessageId, WebhookIdLimits.MessageIdBytes), ("thread_id", message.ThreadId, WebhookIdLimits.IdBytes)) is not { } tooLong)
        {
            return true;
        }

        LogUnkeyable(logger, message.InboxId, tooLong);
        return false;
    }

    // The row's key stands in for a delivery's svix-id and event id: one per message, so listing it again adds nothing.
    private static InboundEmailReceived Email(string inboxId, AgentMailMessageItem m, bool unauthenticated)
    {
        var id = "missed_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{inboxId}\n{m.MessageId}")))[..40];
        return InboundEmailReceived.Of(
            id, inboxId, m.MessageId, m.ThreadId, m.From, m.Subject, (null, null), m.InReplyTo, m.References, m.Timestamp, m.Headers, unauthenticated);
    }

    // One listing's messages, and where the next pass lists after when it was cut short at MissedMailPages.
    private sealed record Listing(IReadOnlyList<AgentMailMessageItem> Messages, DateTimeOffset? ResumeAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: {Count} message(s) inbox {InboxId} received while no webhook fed it are recorded for routing")]
    private static partial void LogRecovered(ILogger logger, int count, string inboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: a message inbox {InboxId} received while no webhook fed it is left in AgentMail: {Reason}")]
    private static partial void LogUnkeyable(ILogger logger, string inboxId, string reason);
}

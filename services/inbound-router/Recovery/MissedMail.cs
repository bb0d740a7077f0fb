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
/// routed once. Mail from senders AgentMail could not authenticate, and mail it took for spam, is listed only when asked
/// for, and AgentMail's reference does not say how a list row marks it: what a listing with a class holds and one without
/// it lacks is recorded as mail of that class, which routing parks for a person whatever it names, so none of it is taken
/// for mail of another class and none is dropped unseen.
/// </summary>
public sealed partial class MissedMail(
    NpgsqlDataSource dataSource,
    IAgentMailDirectory agentMail,
    RoutingSignal routing,
    MissedMailMetrics metrics,
    IOptions<RoutingOptions> options,
    TimeProvider clock,
    ILogger<MissedMail> logger)
{
    /// <summary>The event type its rows are recorded under: the mail was received, and no webhook said so.</summary>
    public const string EventType = "message.received.missed";

    // Each listing leaves out one class more than the one before, so what one holds and the next lacks is of that class.
    // The widest is read first: mail that arrives between two listings is then in the narrower, later one, so it is
    // never taken for a class it is not of; a message the later one lacks was there when the earlier was read.
    private static readonly ReceivedMailClasses[] Listings =
        [ReceivedMailClasses.Unauthenticated | ReceivedMailClasses.Spam, ReceivedMailClasses.Unauthenticated, ReceivedMailClasses.None];

    private readonly RoutingOptions _options = options.Value;

    /// <summary>
    /// Records the inbox's undecided mail received over the window before the look was asked for, or after the time ops
    /// named (or after where its last pass stopped) for routing, listing <see cref="RoutingOptions.MissedMailPages"/> pages at most of each listing.
    /// </summary>
    /// <exception cref="AgentMailUnavailableException">AgentMail could not be read; what was recorded stays recorded.</exception>
    public async Task<MissedMailPass> RecoverAsync(MissedMailLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var after = lookup.ResumeAfter ?? lookup.From(_options.MissedMailWindow);

        // The mail of no class is recorded as its listing comes; the classes' once every listing is read.
        var recorded = 0;
        var listings = new List<Listing>();
        foreach (var include in Listings)
        {
            var listing = await ListAsync(
                lookup.InboxId, after, include,
                include == ReceivedMailClasses.None
                    ? async page => recorded += await RecordAsync(lookup.InboxId, page, ReceivedMailClasses.None, cancellationToken)
                    : _ => Task.CompletedTask,
                cancellationToken);
            if (listing is null)
            {
                // No such inbox (any more): its mail went with it.
                return Finish(lookup.InboxId, recorded, null);
            }

            listings.Add(listing);
        }

        for (var i = 0; i + 1 < listings.Count; i++)
        {
            recorded += await RecordAsync(lookup.InboxId, OnlyIn(listings[i], listings[i + 1]), Listings[i] & ~Listings[i + 1], cancellationToken);
        }

        return Finish(lookup.InboxId, recorded, listings.Min(l => l.ResumeAfter));
    }

    // What the wider listing holds and the narrower lacks, within what the narrower covered: past where it was cut short,
    // the next pass tells the two apart.
    private static List<AgentMailMessageItem> OnlyIn(Listing wider, Listing narrower)
    {
        var listed = narrower.Messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        return [.. wider.Messages.Where(m => !listed.Contains(m.MessageId) && (narrower.ResumeAfter is not { } end || m.Timestamp <= end))];
    }

    private MissedMailPass Finish(string inboxId, int recorded, DateTimeOffset? resumeAfter)
    {
        if (recorded > 0)
        {
            LogRecovered(logger, recorded, inboxId);
        }

        return new MissedMailPass(recorded, resumeAfter);
    }

    // Up to MissedMailPages pages of one listing, each handed to onPage as it comes; null when AgentMail has no such inbox.
    private async Task<Listing?> ListAsync(
        string inboxId, DateTimeOffset after, ReceivedMailClasses include, Func<IReadOnlyList<AgentMailMessageItem>, Task> onPage, CancellationToken cancellationToken)
    {
        var messages = new List<AgentMailMessageItem>();
        string? pageToken = null;
        for (var pages = 0; pages < _options.MissedMailPages; pages++)
        {
            if (await agentMail.ListReceivedAsync(inboxId, after, pageToken, include, cancellationToken) is not { } page)
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

    private async Task<int> RecordAsync(string inboxId, IReadOnlyList<AgentMailMessageItem> messages, ReceivedMailClasses classes, CancellationToken cancellationToken)
    {
        // Decisions are kept under the inbox id as AgentMail spells it (routed_messages): a look asked for under another
        // spelling of the address would route the inbox's mail again, under a key that never saw it decided.
        var emails = messages
            .Where(m => string.Equals(m.InboxId, inboxId, StringComparison.Ordinal) && Keyable(m))
            .Select(m => Email(inboxId, m, classes, clock.GetUtcNow()))
            .ToList();
        if (emails.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
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

        // Counted and routed as committed, not when the pass ends: a pass that fails on a later page keeps these rows,
        // and the pass that lists them again inserts none of them, so counted at its end they were never counted.
        if (recorded > 0)
        {
            metrics.Recorded(recorded);
            routing.Notify();
        }

        return recorded;
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
    // Received when AgentMail stored it, as the ingress takes it (the list's timestamp is the sender's clock), and no
    // later than the allowance past now: a time beyond that is no receipt (ReceivedTime).
    private static InboundEmailReceived Email(string inboxId, AgentMailMessageItem m, ReceivedMailClasses classes, DateTimeOffset now)
    {
        var id = "missed_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{inboxId}\n{m.MessageId}")))[..40];
        return InboundEmailReceived.Of(
            id, inboxId, m.MessageId, m.ThreadId, m.From, m.Subject, MessageBody.None, m.InReplyTo, m.References, ReceivedTime.Of(m.CreatedAt, m.Timestamp, now), m.Headers, classes);
    }

    // One listing's messages, and where the next pass lists after when it was cut short at MissedMailPages.
    private sealed record Listing(IReadOnlyList<AgentMailMessageItem> Messages, DateTimeOffset? ResumeAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: {Count} message(s) inbox {InboxId} received while no webhook fed it are recorded for routing")]
    private static partial void LogRecovered(ILogger logger, int count, string inboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: a message inbox {InboxId} received while no webhook fed it is left in AgentMail: {Reason}")]
    private static partial void LogUnkeyable(ILogger logger, string inboxId, string reason);
}

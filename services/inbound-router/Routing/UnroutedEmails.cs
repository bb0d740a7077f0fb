using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The received emails waiting in <c>received_events</c> for routing, and their claims. A pump claims a batch in a short
/// transaction of its own (<c>for update skip locked</c>, so two pumps never take the same rows at once) that stamps
/// <c>claimed_until</c>; no lock or transaction outlives the claim, so AgentMail is read with nothing held. A claim that
/// expires (its pump died or hung) makes the rows claimable again; the decision itself is kept once per message by
/// <c>routed_messages</c>, so a late pump finishing what another redid writes nothing twice.
/// </summary>
public sealed partial class UnroutedEmails(NpgsqlDataSource dataSource, SetAsideGauge setAsideGauge, IOptions<RoutingOptions> options, ILogger<UnroutedEmails> logger)
{
    /// <summary>
    /// The claim: up to <c>@Limit</c> waiting rows, oldest first, claimed until now + <c>@Lease</c>, an attempt counted
    /// each. It says in so many words that a set-aside row (<c>claimed_until</c> 'infinity', its email kept for
    /// <see cref="RoutingOptions.UnattendedKeepFor"/>) is not waiting, as the partial index <c>received_events_waiting</c>
    /// does, so the planner reads that index, which holds none of them: through one that held them, each claim walked and
    /// read every set-aside row older than the oldest waiting one only to pass it by, 100,000 rows a claim after an
    /// incident had set aside that many. Rows waiting out a retry's backoff are still walked; there are only as many as
    /// failed in the last <see cref="RoutingOptions.RetryMaxDelay"/>.
    /// </summary>
    public const string ClaimSql =
        """
        update received_events r set claimed_until = now() + @Lease, route_attempts = r.route_attempts + 1
        from (
            select svix_id from received_events
            where email is not null and claimed_until is distinct from 'infinity' and (claimed_until is null or claimed_until < now())
            order by received_at limit @Limit
            for update skip locked) as c
        where r.svix_id = c.svix_id
        returning r.svix_id, r.email, r.trace_parent, r.route_attempts
        """;

    private readonly RoutingOptions _options = options.Value;

    /// <summary>Claims up to <paramref name="limit"/> unclaimed (or expired) rows, oldest first, counting an attempt for each.</summary>
    public async Task<IReadOnlyList<ClaimedEmail>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A claim lost in a crash only leaves its rows claimable again, so its commit need not wait for the WAL flush.
        await connection.ExecuteAsync(new CommandDefinition("set local synchronous_commit to off", transaction: transaction, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<(string SvixId, string Email, string? TraceParent, int Attempts)>(new CommandDefinition(
            ClaimSql,
            new { Lease = _options.ClaimLease, Limit = limit },
            transaction,
            cancellationToken: cancellationToken));
        var claimed = new List<ClaimedEmail>();
        var setAside = new List<(string SvixId, string Why)>();
        foreach (var row in rows)
        {
            if (TryRead(row.Email) is not { } email)
            {
                setAside.Add((row.SvixId, "its row cannot be read"));
            }
            else if (WebhookIdLimits.TooLong(("message_id", email.MessageId, WebhookIdLimits.MessageIdBytes), ("thread_id", email.ThreadId, WebhookIdLimits.IdBytes)) is { } tooLong)
            {
                setAside.Add((row.SvixId, tooLong));
            }
            else if (row.Attempts > 2 * _options.MaxAttempts)
            {
                setAside.Add((row.SvixId, $"neither routed nor parked in {row.Attempts - 1} attempts"));
            }
            else
            {
                claimed.Add(new ClaimedEmail(row.SvixId, email, row.TraceParent, row.Attempts));
            }
        }

        // A row that can never be decided would fail its whole batch at every claim, for good: one this version cannot
        // read (written by another version of the router, or damaged), one whose ids are too long to key its decision
        // (recorded before the ingress refused such ids), or one whose parking kept failing too (MaxAttempts more times
        // after its routing did). It is set aside (claimed forever), kept for a person, and its batch goes on.
        if (setAside.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update received_events r set claimed_until = 'infinity', set_aside_reason = a.why
                from unnest(@SvixIds, @Whys) as a (svix_id, why)
                where r.svix_id = a.svix_id
                """,
                new { SvixIds = setAside.Select(r => r.SvixId).ToArray(), Whys = setAside.Select(r => r.Why).ToArray() },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var (svixId, why) in setAside)
            {
                LogSetAside(logger, svixId, why);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (setAside.Count > 0)
        {
            await connection.CloseAsync();
            await setAsideGauge.RefreshAsync(cancellationToken);
        }

        return claimed;
    }

    private static InboundEmailReceived? TryRead(string json)
    {
        try
        {
            return InboundEmailReceived.FromJson(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Marks the rows routed, in the transaction that records their decisions: their payload is not kept.</summary>
    public static Task MarkRoutedAsync(NpgsqlTransaction transaction, IReadOnlyList<string> svixIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            update received_events set email = null, trace_parent = null, claimed_until = null, routed_at = now()
            where svix_id = any(@SvixIds) and email is not null
            """,
            new { SvixIds = svixIds.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Gives claimed rows back after a failed attempt, claimable again after a backoff that doubles with each attempt
    /// (<see cref="RoutingOptions.RetryBaseDelay"/> up to <see cref="RoutingOptions.RetryMaxDelay"/>), or at once; what
    /// becomes of the attempt their claim counted is <paramref name="attempt"/>'s to say. An attempt given back leaves the
    /// backoff where this claim's count put it, so a database failing for long is asked again at that pace, not faster.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyList<string> svixIds, bool backOff, ClaimAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update received_events
            set claimed_until = case when @BackOff then now() + least(@Base * power(2, least(greatest(route_attempts - 1, 0), 30)), @Max) else null end,
                route_attempts = case
                    when @GivenBack then greatest(route_attempts - 1, 0)
                    when @Outage and received_at > now() - @Patience then least(route_attempts, @Ceiling)
                    else route_attempts end
            where svix_id = any(@SvixIds) and email is not null
            """,
            new
            {
                SvixIds = svixIds.ToArray(),
                BackOff = backOff,
                Base = _options.RetryBaseDelay,
                Max = _options.RetryMaxDelay,
                GivenBack = attempt == ClaimAttempt.GivenBack,
                Outage = attempt == ClaimAttempt.AgentMailOutage,
                Patience = _options.OutagePatience,
                Ceiling = _options.MaxAttempts - 1,
            },
            cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing: received email {SvixId} is set aside (claimed_until 'infinity') for a person: {Why}")]
    private static partial void LogSetAside(ILogger logger, string svixId, string why);
}

/// <summary>A received email a pump has claimed.</summary>
/// <param name="SvixId">Its row's key.</param>
/// <param name="Email">The email.</param>
/// <param name="TraceParent">The ingress request's trace, which its routing span continues.</param>
/// <param name="Attempts">Claims so far, this one included.</param>
public sealed record ClaimedEmail(string SvixId, InboundEmailReceived Email, string? TraceParent, int Attempts);

using Microsoft.Extensions.Options;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>
/// Does the looks for missed mail that replaced webhooks (or ops) asked for (<see cref="MissedMailLookups"/>), woken by
/// the request and polling for looks left by a failure, a crash or another replica. A look AgentMail could not answer,
/// or refused for the router's key, is tried again later (<see cref="RoutingOptions.MissedMailRetryDelay"/>, twice as
/// long each time up to 30 minutes; the pump sleeps until the soonest look is due, whatever woke it meanwhile), and
/// given up (logged as an error, with the inbox and the window) after <see cref="MaxAttempts"/>: about 2.5 hours at the
/// default delay; ops ask for it again with <see cref="MissedMailEndpoints"/>.
/// A look that listed <see cref="RoutingOptions.MissedMailPages"/> pages with more to list goes on at once from where it
/// stopped (logged as a warning), so the newest mail, which its oldest-first listing reaches last, is not dropped.
/// </summary>
public sealed partial class MissedMailPump(
    MissedMailLookups lookups,
    MissedMail missedMail,
    MissedMailSignal signal,
    MissedMailMetrics metrics,
    IOptions<RoutingOptions> options,
    ILogger<MissedMailPump> logger) : BackgroundService
{
    /// <summary>Attempts at one look before it is given up.</summary>
    public const int MaxAttempts = 12;

    private const int BatchSize = 10;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortestSleep = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(30);

    private readonly TimeSpan _firstRetry = options.Value.MissedMailRetryDelay;
    private readonly int _pages = options.Value.MissedMailPages;
    private readonly TimeSpan _window = options.Value.MissedMailWindow;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var wait = PollInterval;
            while (!stoppingToken.IsCancellationRequested)
            {
                await signal.WaitAsync(wait, stoppingToken);
                try
                {
                    wait = await LookAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    wait = PollInterval;
                    LogPassFailed(logger, PollInterval, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a claimed look is due again when its claim ends.
        }
    }

    // Does every due look; returns how long to sleep: until the soonest look waiting is due, at most the poll interval.
    // Asked of the table, not of what this pass postponed: a pass that found a postponed look not due yet (woken by
    // another look's request, or by its timer firing a few milliseconds before the database's clock reached due_at) slept
    // the whole poll interval, so the look waited up to 30 s past its time.
    private async Task<TimeSpan> LookAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<MissedMailLookup> due;
        while ((due = await lookups.ClaimAsync(BatchSize, ClaimLease, stoppingToken)).Count > 0)
        {
            foreach (var lookup in due)
            {
                await LookAsync(lookup, stoppingToken);
            }
        }

        // A look due but not claimed (its row locked by another replica's claim, or by ops) is looked at again shortly,
        // not in a busy loop.
        var next = await lookups.NextDueAsync(stoppingToken) ?? PollInterval;
        return next > PollInterval ? PollInterval : next < ShortestSleep ? ShortestSleep : next;
    }

    private async Task LookAsync(MissedMailLookup lookup, CancellationToken stoppingToken)
    {
        MissedMailPass pass;
        try
        {
            pass = await missedMail.RecoverAsync(lookup, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !Definitive(e) && lookup.Attempts < MaxAttempts)
        {
            // AgentMail unavailable or refusing the router's key, or an answer or a write that failed this once (a body
            // that is not AgentMail's, the database): looked again later, not left to its claim's end, so the looks
            // after it in the batch go on.
            var wait = TimeSpan.FromTicks(Math.Min(_firstRetry.Ticks << Math.Min(lookup.Attempts - 1, 16), LongestRetry.Ticks));
            if (e is AgentMailException refusal)
            {
                LogRefused(logger, lookup.InboxId, refusal.Message, wait);
            }
            else
            {
                LogPostponed(logger, lookup.InboxId, wait, e.Message);
            }

            await lookups.PostponeAsync(lookup, wait, stoppingToken);
            metrics.Looked("postponed");
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // AgentMail's definitive refusal of the request, or MaxAttempts failures: given up, for a person, instead of
            // tried for good. The log carries what POST /routing/missed-mail/{inboxId} needs to ask for it again.
            LogGivenUp(logger, lookup.InboxId, lookup.From(_window), lookup.ResumeAfter, lookup.Attempts, e.Message);
            await lookups.FinishAsync(lookup, stoppingToken);
            metrics.Looked("given_up");
            return;
        }

        if (pass.ResumeAfter is { } resumeAfter)
        {
            // Cut short at MissedMailPages, oldest first: the rest, the newest mail, is listed by the next pass.
            LogCutShort(logger, lookup.InboxId, _pages, resumeAfter);
            await lookups.ResumeAsync(lookup, resumeAfter, stoppingToken);
            metrics.Looked("resumed");
            return;
        }

        await lookups.FinishAsync(lookup, stoppingToken);
        metrics.Looked("done");
    }

    // A refusal of the request itself (AgentMail's 400 or 404 of the listing) would be the same however often asked. A
    // refusal of the router's key (a 401 after a rotation, the organisation's limit) lasts until ops put it right: given
    // up at once, the look was lost for good, its mail never routed.
    private static bool Definitive(Exception e) => e is AgentMailException { IsAccountRefusal: false };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed mail: a look failed; the next one is in at most {Interval}")]
    private static partial void LogPassFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed mail: the look at inbox {InboxId} stopped after {Pages} page(s) with more to list; it goes on with the mail received after {ResumeAfter}")]
    private static partial void LogCutShort(ILogger logger, string inboxId, int pages, DateTimeOffset resumeAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Missed mail: the look at inbox {InboxId} failed ({Reason}); looking again in {Wait}")]
    private static partial void LogPostponed(ILogger logger, string inboxId, TimeSpan wait, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed mail: AgentMail refused the router's key or its organisation looking at inbox {InboxId} ({Reason}): InboundRouter:AgentMail:ApiKey, its permission or the organisation needs putting right; looking again in {Wait}")]
    private static partial void LogRefused(ILogger logger, string inboxId, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Missed mail: gave up looking for the mail inbox {InboxId} received after {From} while no webhook fed it (its passes had listed up to {ResumeAfter}), after {Attempts} attempt(s): {Reason}. It is still in AgentMail: once the cause is put right, POST /routing/missed-mail/{InboxId}?after={From} asks for the look again")]
    private static partial void LogGivenUp(ILogger logger, string inboxId, DateTimeOffset from, DateTimeOffset? resumeAfter, int attempts, string reason);
}

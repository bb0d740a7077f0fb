using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Sweeping;

/// <summary>
/// The loop of a sweeper of claims (a row committed before its outbox file is written, and marked when it is): one
/// sweep every <see cref="ClaimSweepOptions.SweepInterval"/>, another at once while sweeps come back full. What a sweep
/// takes is stamped in its own short transaction, so replicas share the claims through <c>SKIP LOCKED</c>, and a
/// sweep that fails, for whatever reason, leaves them for a later one: it is logged, and the next sweep looks again
/// (<see cref="PollingLoop"/>). A sweep the service's stop cuts short gives back the attempts of the claims it took and
/// did not write (<see cref="WriteEachAsync"/>).
/// </summary>
public abstract partial class ClaimSweeper<TOptions>(IOptions<TOptions> options, ILogger logger) : BackgroundService
    where TOptions : ClaimSweepOptions
{
    // The give-back of a stopped sweep's claims runs on a time of its own: the stopping token is cancelled already.
    private static readonly TimeSpan StopGiveBackTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The feature's settings as they are now.</summary>
    protected TOptions Settings => options.Value;

    /// <summary>The sweeper's log.</summary>
    protected ILogger Logger => logger;

    /// <summary>One sweep; true when a batch came back full, so more may be due.</summary>
    public abstract Task<bool> SweepAsync(CancellationToken cancellationToken);

    /// <summary>
    /// After a claim's write failed with <paramref name="failure"/>: when it is no fault of the claim (the mail outbox
    /// could not take a file, the database was away), the attempt its sweep stamped is given back through
    /// <paramref name="giveBack"/>, so an outage spends none of the claim's attempts and it is written once the outage
    /// ends; true then. A failure of the claim's own (or a give-back the database refuses too) stays counted.
    /// </summary>
    protected async Task<bool> GiveBackIfNoFaultOfItsOwnAsync(Exception failure, Func<CancellationToken, Task> giveBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(giveBack);
        if (!NoFaultOfTheClaim(failure))
        {
            return false;
        }

        try
        {
            await giveBack(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogGiveBackFailed(logger, GetType().Name, e);
            return false;
        }
    }

    /// <summary>
    /// Writes the <paramref name="claims"/> a sweep took, one after the other, through <paramref name="write"/> (which
    /// deals with a claim's own failures). Should the service stop in the middle (a deploy), the claims not written yet,
    /// the one being written among them, get their attempt back through <paramref name="giveBack"/> before the stop goes
    /// on: a stop is no fault of theirs, and a sweep of a slow batch (a model composing each reply) cut short by a few
    /// deploys would otherwise give up replies no one ever tried to the end. Given back on a time of its own, not the
    /// stopping token; a give-back that fails (the database away too) leaves the attempts counted, logged.
    /// </summary>
    protected async Task WriteEachAsync<TClaim>(
        IReadOnlyList<TClaim> claims,
        Func<TClaim, CancellationToken, Task> write,
        Func<IReadOnlyList<TClaim>, CancellationToken, Task> giveBack,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(giveBack);
        for (var i = 0; i < claims.Count; i++)
        {
            try
            {
                await write(claims[i], cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await GiveBackOnStopAsync([.. claims.Skip(i)], giveBack);
                throw;
            }
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(SweepAsync, () => Settings.SweepInterval, e => LogFailed(logger, GetType().Name, e), stoppingToken);

    private async Task GiveBackOnStopAsync<TClaim>(IReadOnlyList<TClaim> unwritten, Func<IReadOnlyList<TClaim>, CancellationToken, Task> giveBack)
    {
        try
        {
            using var timeout = new CancellationTokenSource(StopGiveBackTimeout);
            await giveBack(unwritten, timeout.Token);
            LogGivenBackOnStop(logger, GetType().Name, unwritten.Count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogStopGiveBackFailed(logger, GetType().Name, unwritten.Count, e);
        }
    }

    private static bool NoFaultOfTheClaim(Exception? failure) => failure switch
    {
        null => false,
        MailOutboxUnavailableException => true,
        _ when TransientDatabaseFailure.Is(failure) => true,
        _ => NoFaultOfTheClaim(failure.InnerException),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} could not give back the attempt of a claim whose write failed for no fault of its own; the attempt stays counted")]
    private static partial void LogGiveBackFailed(ILogger logger, string sweeper, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Sweeper} stopped in the middle of a sweep: the {Count} claim(s) it took and had not written got their attempt back; they are taken again after RewriteAfter")]
    private static partial void LogGivenBackOnStop(ILogger logger, string sweeper, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} stopped in the middle of a sweep and could not give back the attempts of the {Count} claim(s) it took and had not written; their attempts stay counted")]
    private static partial void LogStopGiveBackFailed(ILogger logger, string sweeper, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} failed; trying again after the sweep interval")]
    private static partial void LogFailed(ILogger logger, string sweeper, Exception exception);
}

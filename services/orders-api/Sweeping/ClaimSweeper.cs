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
/// (<see cref="PollingLoop"/>).
/// </summary>
public abstract partial class ClaimSweeper<TOptions>(IOptions<TOptions> options, ILogger logger) : BackgroundService
    where TOptions : ClaimSweepOptions
{
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

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(SweepAsync, () => Settings.SweepInterval, e => LogFailed(logger, GetType().Name, e), stoppingToken);

    private static bool NoFaultOfTheClaim(Exception? failure) => failure switch
    {
        null => false,
        MailOutboxUnavailableException => true,
        _ when TransientDatabaseFailure.Is(failure) => true,
        _ => NoFaultOfTheClaim(failure.InnerException),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} could not give back the attempt of a claim whose write failed for no fault of its own; the attempt stays counted")]
    private static partial void LogGiveBackFailed(ILogger logger, string sweeper, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} failed; trying again after the sweep interval")]
    private static partial void LogFailed(ILogger logger, string sweeper, Exception exception);
}

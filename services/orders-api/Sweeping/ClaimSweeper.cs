using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;

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

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(SweepAsync, () => Settings.SweepInterval, e => LogFailed(logger, GetType().Name, e), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} failed; trying again after the sweep interval")]
    private static partial void LogFailed(ILogger logger, string sweeper, Exception exception);
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Writes the replies whose consumer failed to, past every retry (the message in the error queue) or by dying: each claim
/// unwritten for <see cref="ClaimSweepOptions.RewriteAfter"/> is composed and written again through the
/// <see cref="OrderAgent"/>, under the claim's lock, so a late redelivery racing it still writes one file. After
/// <see cref="AgentReplyOptions.MaxAttempts"/> a claim is given up: logged as an error, counted in
/// <c>ordersmail.agent.replies.given_up</c>, and shown failed on the order's timeline, until ops put it back once they
/// fixed the cause (<see cref="ReplyWriteAgainEndpoint"/>). An attempt that failed for no fault of its own (the outbox
/// or the database away, or the service stopping in the middle of the sweep) is not counted.
/// </summary>
internal sealed partial class AgentReplySweeper(
    AbandonedReplies abandoned, IServiceScopeFactory scopes, ServiceTelemetry telemetry, IOptions<AgentReplyOptions> options, ILogger<AgentReplySweeper> logger)
    : ClaimSweeper<AgentReplyOptions>(options, logger)
{
    /// <summary>The replies given up.</summary>
    public const string GivenUpMetric = "ordersmail.agent.replies.given_up";

    private readonly Counter<long> _givenUp =
        telemetry.Meter.CreateCounter<long>(GivenUpMetric, "{reply}", "Agent replies never written: their claim was given up after its last attempt.");

    /// <inheritdoc />
    public override async Task<bool> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = Settings;
        var taken = await abandoned.TakeAsync(settings.RewriteAfter, settings.MaxAttempts, settings.SweepBatchSize, cancellationToken);
        foreach (var reply in taken.GivenUp)
        {
            _givenUp.Add(1);
            LogGivenUp(Logger, reply.MessageId, reply.OrderId, reply.EmailId, reply.Attempts);
        }

        if (taken.Replies.Count > 0)
        {
            // The agent and its composer (a typed HttpClient's) are transient: resolved per sweep, not kept by this singleton.
            await using var scope = scopes.CreateAsyncScope();
            var agent = scope.ServiceProvider.GetRequiredService<OrderAgent>();
            await WriteEachAsync(
                taken.Replies,
                (reply, token) => WriteAsync(agent, reply, settings.MaxAttempts, token),
                (unwritten, token) => abandoned.GiveBackAttemptsAsync(unwritten.Select(r => (r.Message.OrderId, r.Message.MessageId)), token),
                cancellationToken);
        }

        if (taken.Replies.Count + taken.GivenUp.Count > 0)
        {
            LogSwept(Logger, taken.Replies.Count, taken.GivenUp.Count);
        }

        return taken.Replies.Count >= settings.SweepBatchSize || taken.GivenUp.Count >= settings.SweepBatchSize;
    }

    // One reply's failure is its own: it is logged, and its claim waits for the next attempt, or to be given up.
    private async Task WriteAsync(OrderAgent agent, TakenReply reply, int maxAttempts, CancellationToken cancellationToken)
    {
        var message = reply.Message;

        // Written outside any trace, the reply continues the trace of the run that claimed it.
        using var activity = telemetry.ActivitySource.StartActivity("agent reply", ActivityKind.Internal, TraceParents.Parse(reply.TraceParent)).SetOrder(message.OrderRef, message.OrderId);
        try
        {
            await agent.AnswerAsync(message, reply.Decision, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (await GiveBackIfNoFaultOfItsOwnAsync(e, token => abandoned.GiveBackAttemptsAsync([(message.OrderId, message.MessageId)], token), cancellationToken))
            {
                LogAttemptWaits(Logger, message.MessageId, message.OrderId, e);
                return;
            }

            LogAttemptFailed(Logger, message.MessageId, message.OrderId, reply.Attempt, maxAttempts, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent replies left unwritten taken over by the sweeper: {Taken}; given up after their last attempt: {GivenUp}")]
    private static partial void LogSwept(ILogger logger, int taken, int givenUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweeper's reply to message {MessageId} of order {OrderId} failed for no fault of its own (the outbox or the database away); no attempt counted, its claim is taken again after RewriteAfter")]
    private static partial void LogAttemptWaits(ILogger logger, string messageId, Guid orderId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweeper's attempt {Attempt} of {MaxAttempts} at the reply to message {MessageId} of order {OrderId} failed")]
    private static partial void LogAttemptFailed(ILogger logger, string messageId, Guid orderId, int attempt, int maxAttempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reply to message {MessageId} of order {OrderId} (email {EmailId}) was given up after {Attempts} attempts of the sweeper: the customer gets no answer unless ops put it back (POST /agent/replies/{OrderId}/write-again?message_id=) or the message is delivered again")]
    private static partial void LogGivenUp(ILogger logger, string messageId, Guid orderId, Guid emailId, int attempts);
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// <c>POST /agent/replies/{orderId}/write-again?message_id=…</c>: for ops, once they fixed what failed an agent reply's
/// writes (a composer bug for this message, a model that never answered), puts the claim the sweeper gave up back in
/// its hands. Otherwise only a redelivery of the message writes it, and its copy in the error queue may be long gone,
/// or be one among many that moving the queue back would replay. The message is named in the query, not the path: a
/// Message-ID is the customer's provider's text (<c>&lt;…@…&gt;</c>, and it may hold <c>/</c> or <c>%</c>), which a
/// query value carries whole once URL-encoded, while ASP.NET leaves <c>%2F</c> undecoded in a route value. Behind the
/// ops key (<see cref="WriteAgainRoutes"/>).
/// </summary>
public static partial class ReplyWriteAgainEndpoint
{
    /// <summary>The query parameter naming the message the reply answers.</summary>
    public const string MessageIdParameter = "message_id";

    /// <summary>Maps the route, behind the ops key.</summary>
    public static IEndpointRouteBuilder MapAgentReplyWriteAgain(this IEndpointRouteBuilder app)
    {
        app.MapWriteAgain("/agent/replies", "Agent replies", "/{orderId}/write-again", WriteAgainAsync)
            .WithName("WriteAgentReplyAgain")
            .WithSummary("Puts an agent reply the sweeper gave up back in its hands, its attempts anew; the next sweep composes and writes it under the email id it always had.")
            .WithDescription(
                "The reply is named by its order's id and, in message_id (URL-encoded), the Message-ID of the customer's message it answers, "
                + "as the given-up error log names them. 202 with the claim put back: no longer shown failed on the order's timeline, and written "
                + "at the sweeper's next look (Agent:Replies:SweepInterval), or given up again after Agent:Replies:MaxAttempts if the cause is not fixed. "
                + "409 when the claim is not given up: written already, or still being written or tried. "
                + "404 for an unknown order, or a message of it the agent never answered; 400 if the order id is not a UUID or message_id is missing.");
        return app;
    }

    private static async Task<Results<Accepted<AgentReplyPutBack>, ProblemHttpResult>> WriteAgainAsync(
        string orderId,
        [FromQuery(Name = MessageIdParameter)] string? messageId,
        HttpRequest request,
        AbandonedReplies replies,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return WriteAgainRoutes.InvalidId("An order is named by its id, a UUID.");
        }

        if (QueryText.Refused(request, MessageIdParameter) is { } badText)
        {
            return badText;
        }

        if (string.IsNullOrEmpty(messageId) || request.Query[MessageIdParameter].Count > 1)
        {
            return WriteAgainRoutes.InvalidId(
                $"{MessageIdParameter} is the Message-ID of the customer's message the reply answers, once, URL-encoded: ?{MessageIdParameter}=%3Cabc%40mail.example%3E.",
                $"Invalid {MessageIdParameter}");
        }

        var logger = loggers.CreateLogger(typeof(ReplyWriteAgainEndpoint).FullName!);
        return WriteAgainRoutes.Answer(
            await replies.PutBackAsync(id, messageId, cancellationToken),
            id,
            $"The reply to message {messageId} of order {id}",
            ($"The agent never answered a message {messageId} of order {id}: it has no reply to write.", "No reply claimed"),
            reply => LogPutBack(logger, reply.MessageId, reply.OrderRef, reply.OrderId, reply.EmailId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The reply to message {MessageId} of order {OrderRef} ({OrderId}, email {EmailId}), given up, was put back in the sweeper's hands by ops")]
    private static partial void LogPutBack(ILogger logger, string messageId, string orderRef, Guid orderId, Guid emailId);
}

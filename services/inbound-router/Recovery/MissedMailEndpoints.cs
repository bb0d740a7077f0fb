using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>
/// <c>POST /routing/missed-mail/{inboxId}</c>: asks again for a look for the mail an inbox received while no webhook fed
/// it. A look given up (AgentMail refusing the router's key past its attempts, an outage longer than them) lost its row,
/// and nothing else would ever ask for it again: the webhook is fine by then and the message that asked was consumed.
/// </summary>
public static class MissedMailEndpoints
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapMissedMail(this IEndpointRouteBuilder app)
    {
        var missedMail = app.MapGroup("/routing/missed-mail").WithTags("Missed mail").RequireOpsKey().ProducesDatabaseBusy();
        missedMail.MapPost("/{inboxId}", AskAgainAsync)
            .WithName("AskForMissedMail")
            .WithSummary("Asks again for a look for the mail an inbox received while no webhook fed it, e.g. one given up (logged with its inbox and window); each message is still routed once.")
            .WithDescription(
                "202 once asked for, with where the look lists from: after= (an ISO 8601 time in the past, within InboundRouter:Retention:KeepFor, "
                + "as long as routing decisions are kept), or Routing:MissedMailWindow before now without it. A look already waiting for the inbox starts again with this window. "
                + "400 for an after that is not such a time; 404 when the router has learnt no webhook of that inbox (inbox ids as AgentMail spells them).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    // after is read as text, so a time that does not parse is answered with a problem saying so, not the framework's bare 400.
    private static async Task<Results<Accepted<MissedMailLookAsked>, ProblemHttpResult>> AskAgainAsync(
        string inboxId,
        HttpRequest request,
        MissedMailLookups lookups,
        MissedMailSignal signal,
        IOptions<RoutingOptions> routing,
        IOptions<RetentionOptions> retention,
        TimeProvider clock,
        CancellationToken cancellationToken,
        string? after = null)
    {
        if (QueryText.Refused(request, "after") is { } badText)
        {
            return badText;
        }

        DateTimeOffset? listedAfter = null;
        if (after is not null)
        {
            // Further back than the decisions are kept, mail routed long ago would be routed a second time.
            var now = clock.GetUtcNow();
            if (!DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || at >= now || at <= now - retention.Value.KeepFor)
            {
                return TypedResults.Problem(
                    $"after is an ISO 8601 time (2026-12-06T10:00:00Z) in the past and within InboundRouter:Retention:KeepFor ({retention.Value.KeepFor:c}), as long as routing decisions are kept.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid after");
            }

            listedAfter = at.ToUniversalTime();
        }

        // No inbox the router learnt holds a NUL or is that long: asked as it is, PostgreSQL would refuse the NUL with a 500.
        var from = TextCheck.Problem(inboxId) is null && WebhookIdLimits.TooLong(("inbox_id", inboxId, WebhookIdLimits.IdBytes)) is null
            ? await lookups.AskAgainAsync(inboxId, listedAfter, routing.Value.MissedMailWindow, cancellationToken)
            : null;
        if (from is not { } listed)
        {
            return TypedResults.Problem(
                $"The router has learnt no webhook of inbox {inboxId} (it learns them from InboxReady and InboxWebhookReplaced, under the id as AgentMail spells it).",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown inbox");
        }

        // Done at the pump's next claim, which this starts now rather than at its next poll.
        signal.Notify();
        return TypedResults.Accepted((string?)null, new MissedMailLookAsked(inboxId, listed));
    }
}

/// <summary>A look for an inbox's missed mail, asked for again.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="ListedAfter">The look lists the mail the inbox received after this time.</param>
public sealed record MissedMailLookAsked(string InboxId, DateTimeOffset ListedAfter);

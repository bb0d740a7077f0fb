using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// <c>GET /routing/parked</c>, <c>POST /routing/parked/{id}/route</c> and <c>POST /routing/parked/{id}/dismiss</c>:
/// what ops look at and act on.
/// </summary>
public static class ParkedEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapParkedMessages(this IEndpointRouteBuilder app)
    {
        var parked = app.MapGroup("/routing/parked").WithTags("Parked messages").RequireOpsKey().ProducesDatabaseBusy();
        parked.MapGet("", ListAsync)
            .WithName("ListParkedMessages")
            .WithSummary("Parked messages neither routed again nor dismissed yet, oldest first, with the reason each was parked.")
            .WithDescription(
                "A page of at most limit (1 to 500, 100 by default). The next page: after = the id of the last message listed "
                + "(routed again or dismissed since or not); an empty page is the end. 400 for a limit out of range, or an after that is not the id of a parked message still kept.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        parked.MapPost("/{id}/route", RouteAsync)
            .WithName("RouteParkedMessage")
            .WithSummary("Routes a parked message again, once its cause is fixed; 409 with the reason if it still cannot be; 503 or 502 when AgentMail cannot say, the message still parked.")
            .WithDescription(
                "Without a body the routing rules decide. With {\"order_ref\": \"...\"} it goes to that order (routed_by ops), whatever the rules would pick, "
                + "when it is an order of the customer whose inbox received the email; 422 when the router knows no such order, does not know whose the inbox is, "
                + "or the order is another customer's: nothing is routed. Mail AgentMail could not authenticate stays parked (409) either way. "
                + "A message is routed once: asked again (a retry after a timeout, two people at once) it answers 200 with the order it went to, "
                + "unless the body names another order (409, a problem naming the order it went to, in order_id and order_ref); a message dismissed answers 409 (a problem titled Dismissed). "
                + "404 only when no message with that id is kept (never parked, or past retention). "
                + "400 for an id that is not a UUID or a body that is not that object; 413 for a body over 4 KiB.")
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // Described here, not by Accepts: that would also make routing refuse other content types itself, with
                // a bare 415 before the ops key is checked. The body is read as JSON whatever it is declared as.
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = false,
                    Description = "The order to route the message to, instead of the one the routing rules pick.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(RouteToOrder), null, cancellationToken) },
                    },
                };

                // 409 has two bodies: mail still parked (its typed result, the 200's shape) and the problem of a message
                // routed to another order or dismissed. The generator keeps one body a status, so ProducesProblem would
                // replace the first.
                if (operation.Responses?.GetValueOrDefault("409") is OpenApiResponse conflict)
                {
                    conflict.Content ??= new Dictionary<string, OpenApiMediaType>();
                    conflict.Content["application/problem+json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken) };
                }
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesAgentMailProblems();
        parked.MapPost("/{id}/dismiss", DismissAsync)
            .WithName("DismissParkedMessage")
            .WithSummary("Dismisses a parked message a person has dealt with (read and answered in AgentMail, or spam): it leaves the list and its stored email is cleared.")
            .WithDescription(
                "204 once dismissed, and again for one dismissed before. 404 when no message with that id is kept (never parked, or past retention); "
                + "409 when it was routed to an order since. 400 if the id is not a UUID.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    // The limit and the ids are read as text, so that one that does not parse is answered with a problem saying so,
    // not with the framework's bare 400 or a route that does not match (404). Parked mail that can never be routed
    // (unauthenticated mail stays parked) would otherwise fill the first page for good and hide what was parked since.
    private static async Task<Results<Ok<IReadOnlyList<ParkedMessageView>>, ProblemHttpResult>> ListAsync(
        ParkedMessages parked, HttpRequest request, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        if (!ListLimit.TryRead(limit, DefaultLimit, MaxLimit, out var count))
        {
            return TypedResults.Problem($"limit {ListLimit.Rule(MaxLimit)}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        // Said as what it is, not as "no message %FF was parked" for an escape that is not UTF-8.
        if (QueryText.Refused(request, "after") is { } badText)
        {
            return badText;
        }

        Guid? afterId = Guid.TryParse(after, out var id) ? id : null;
        if ((after is null || afterId is not null) && await parked.ListAsync(count, afterId, cancellationToken) is { } page)
        {
            return TypedResults.Ok(page);
        }

        return TypedResults.Problem(
            $"after is the id (a UUID) of the last message of a page GET /routing/parked listed; no message {after} was parked (or it is past retention).",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid after");
    }

    private static async Task<Results<Ok<RerouteResult>, Conflict<RerouteResult>, ProblemHttpResult>> RouteAsync(
        string id, HttpRequest request, ParkedMessages parked, CancellationToken cancellationToken)
    {
        if (ParkedId(id) is not { } parkedId)
        {
            return InvalidId();
        }

        var (named, badBody) = await RouteToOrder.ReadAsync(request, cancellationToken);
        if (badBody is not null)
        {
            return badBody;
        }

        NamedRoute route;
        try
        {
            route = named is null
                ? new NamedRoute(await parked.RerouteAsync(parkedId, cancellationToken), null)
                : await parked.RouteToOrderAsync(parkedId, named.OrderRef, cancellationToken);
        }
        catch (Exception e) when (AgentMailProblems.For(e, "the re-route", "Route it again later; it stays parked until then.") is { } problem)
        {
            // AgentMail is read (the inbox's order reference, a body its webhook left out) before anything is written: the message stays parked.
            return problem;
        }

        if (route.Refused is { } refused)
        {
            return Refused(parkedId, named!.OrderRef, refused);
        }

        if (route.RoutedBefore is { } before)
        {
            return RoutedElsewhere(parkedId, named!.OrderRef, before);
        }

        var result = route.Result!;
        return result.Outcome switch
        {
            RerouteOutcome.Routed => TypedResults.Ok(result),
            RerouteOutcome.StillParked => TypedResults.Conflict(result),
            RerouteOutcome.Dismissed => TypedResults.Problem(
                $"Message {parkedId} was dismissed since it was parked: its stored email is cleared and nothing is left to route (AgentMail keeps the message).",
                statusCode: StatusCodes.Status409Conflict,
                title: "Dismissed"),
            _ => TypedResults.Problem(
                $"No message {parkedId} is parked: it was never parked, or is past retention.", statusCode: StatusCodes.Status404NotFound, title: "Not parked"),
        };
    }

    // A message goes to one order: naming another once it went is not done, and the answer says where it went, in words
    // and as fields a script reads (a retry naming the order it went to answers 200 instead).
    private static ProblemHttpResult RoutedElsewhere(Guid parkedId, string orderRef, RoutedBefore before) => TypedResults.Problem(
        $"Message {parkedId} was routed to order {before.OrderRef ?? before.OrderId.ToString()} already, not to {orderRef}: a message is routed once.",
        statusCode: StatusCodes.Status409Conflict,
        title: "Routed to another order",
        extensions: new Dictionary<string, object?> { ["order_id"] = before.OrderId, ["order_ref"] = before.OrderRef });

    // The order is refused as the routing rules refuse a reply naming another customer's mail: mail goes only to an order
    // of the customer whose inbox received it. The request is understood but names an order it cannot go to (422); 409 is
    // the re-route's own answer for mail still parked, in the shape of its 200.
    private static ProblemHttpResult Refused(Guid parkedId, string orderRef, NamedOrderRefusal refused) => refused switch
    {
        NamedOrderRefusal.UnknownOrder => TypedResults.Problem(
            $"The router knows no order {orderRef} (it learns orders from OrderCreated and InboxReady): message {parkedId} stays parked. Check the reference, or route it without a body.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Unknown order"),
        NamedOrderRefusal.InboxCustomerUnknown => TypedResults.Problem(
            $"The router has not learnt whose inbox received message {parkedId} (it learns it from the inbox's next InboxReady), so it cannot tell that order {orderRef} "
            + "is that customer's: the message stays parked. Route it without a body, or answer the customer from AgentMail and dismiss it.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Inbox's customer unknown"),
        _ => TypedResults.Problem(
            $"Order {orderRef} is not an order of the customer whose inbox received message {parkedId}: mail goes only to its own customer's orders, "
            + "and the message stays parked. Name one of theirs, or route it without a body.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Another customer's order"),
    };

    private static async Task<Results<NoContent, ProblemHttpResult>> DismissAsync(string id, ParkedMessages parked, CancellationToken cancellationToken)
    {
        if (ParkedId(id) is not { } parkedId)
        {
            return InvalidId();
        }

        return await parked.DismissAsync(parkedId, cancellationToken) switch
        {
            DismissOutcome.Dismissed => TypedResults.NoContent(),
            DismissOutcome.Routed => TypedResults.Problem(
                $"Message {parkedId} was routed to an order since it was parked: nothing is left to dismiss.", statusCode: StatusCodes.Status409Conflict, title: "Routed"),
            _ => TypedResults.Problem(
                $"No message {parkedId} is kept: it was never parked, or is past retention.", statusCode: StatusCodes.Status404NotFound, title: "Not parked"),
        };
    }

    // The id is read as text, so one that does not parse is answered with a problem, not a route that does not match (404).
    private static Guid? ParkedId(string id) => Guid.TryParse(id, out var parsed) ? parsed : null;

    private static ProblemHttpResult InvalidId() =>
        TypedResults.Problem("A parked message's id is a UUID, as GET /routing/parked lists it.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid id");
}

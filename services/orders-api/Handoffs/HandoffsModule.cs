using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>
/// <c>GET /agent/handoffs</c> and <c>POST /agent/handoffs/{messageId}/done</c>: the messages the agent told the
/// customer a person would look at, for ops to work through. The labels on them are the customer's own tags, seen by
/// the customer alone.
/// </summary>
public static class HandoffsModule
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    /// <summary>
    /// Registers the hand-offs, those of undeliverable replies, their gauge and the reconcile of older builds' labels (<c>Agent:Handoffs</c>, checked at
    /// start); the ops key their routes need is the service's (<see cref="OrdersApiComposition"/>).
    /// </summary>
    public static IServiceCollection AddHandoffs(this IServiceCollection services)
    {
        services.AddRowCountGauge<HandoffGauge>();
        services.AddSingleton<AgentHandoffs>();
        services.AddSingleton<UndeliverableReplies>();
        services.AddOptions<HandoffReconcileOptions>().BindConfiguration(HandoffReconcileOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HandoffReconcile>();
        services.AddHostedService(sp => sp.GetRequiredService<HandoffReconcile>());
        return services;
    }

    /// <summary>Maps the routes, behind the ops key.</summary>
    public static IEndpointRouteBuilder MapHandoffs(this IEndpointRouteBuilder app)
    {
        var handoffs = app.MapGroup("/agent/handoffs").WithTags("Agent hand-offs").AnswerPrivately().RequireOpsKey().ProducesDatabaseBusy();
        handoffs.MapGet("", ListAsync)
            .WithName("ListAgentHandoffs")
            .WithSummary("Messages the agent handed to a person (needs-review, needs-action) not marked done yet, oldest first, each with its order and why.")
            .WithDescription(
                "A page of at most limit (1 to 500, 100 by default). The next page: after = the message_id of the last hand-off listed "
                + "(done since or not); an empty page is the end. 400 for a limit out of range, or an after that is not the id of a message handed off.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        handoffs.MapPost("/{messageId}/done", DoneAsync)
            .WithName("MarkAgentHandoffDone")
            .WithSummary("Marks a hand-off done once a person has dealt with it: it leaves the list. The customer's labels are left as they are.")
            .WithDescription("204 once done, and again for one done before. 404 when the agent never handed that message off; 400 if the id is not a UUID.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    // The limit and the ids are read as text, so that one that does not parse is answered with a problem saying so, not
    // with the framework's bare 400 or a route that does not match (404).
    private static async Task<Results<Ok<IReadOnlyList<HandoffView>>, ProblemHttpResult>> ListAsync(
        AgentHandoffs handoffs, HttpRequest request, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        if (!ListLimit.TryRead(limit, DefaultLimit, MaxLimit, out var count))
        {
            return ListLimit.Refused(MaxLimit);
        }

        if (QueryText.Refused(request, "after") is { } badText)
        {
            return badText;
        }

        Guid? afterId = Guid.TryParse(after, out var id) ? id : null;
        if ((after is null || afterId is not null) && await handoffs.ListAsync(count, afterId, cancellationToken) is { } page)
        {
            return TypedResults.Ok(page);
        }

        return TypedResults.Problem(
            $"after is the message_id (a UUID) of the last hand-off of a page GET /agent/handoffs listed; the agent handed off no message {after}.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid after");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DoneAsync(string messageId, AgentHandoffs handoffs, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(messageId, out var id))
        {
            return TypedResults.Problem("A hand-off is named by its message_id, a UUID, as GET /agent/handoffs lists it.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid id");
        }

        return await handoffs.MarkDoneAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"The agent handed off no message {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not handed off");
    }
}

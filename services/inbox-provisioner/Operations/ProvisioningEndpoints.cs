using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Watch;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>
/// Ops' window on provisioning, on the service's internal port: every order's saga (state, each step's outcome,
/// history), every customer's AgentMail resources, and the retry and teardown commands.
/// </summary>
public static class ProvisioningEndpoints
{
    private const int MaxUserIdLength = 256;
    private const string UserIdParameter = "user_id";

    // Ops' retry is a publish with no transaction behind it. While the broker is away MassTransit waits for a connection
    // without end, so the publish is waited for this long at most, and answered 503 after; it is not the request's to
    // cancel either, so a client giving up leaves a retry that was being sent to be sent, not cut short halfway.
    private static readonly TimeSpan RetryPublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps <c>/provisioning</c>.</summary>
    public static IEndpointRouteBuilder MapProvisioning(this IEndpointRouteBuilder app)
    {
        var provisioning = app.MapGroup("/provisioning").WithTags("Provisioning").RequireOpsKey().ProducesDatabaseBusy();
        provisioning.MapGet("/{orderId}", ForOrderAsync)
            .WithName("GetProvisioning")
            .WithSummary("The order's saga: its state, each step's outcome and its history.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        provisioning.MapPost("/{orderId}/retry", RetryAsync)
            .WithName("RetryProvisioning")
            .WithSummary("Starts a Failed saga again from its first step; every step is safe to take twice.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        provisioning.MapGet("", ForCustomerAsync)
            .WithName("ListProvisioning")
            .WithSummary("Every saga of one customer (user_id), newest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        provisioning.MapGet("/customers/{userId}", CustomerAsync)
            .WithName("GetCustomerInbox")
            .WithSummary("The customer's AgentMail inbox and webhook, as the provisioner recorded them.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        provisioning.MapDelete("/customers/{userId}/inbox", TearDownAsync)
            .WithName("TearDownCustomerInbox")
            .WithSummary("Deletes the customer's webhook, and their inbox if AgentMail still keeps it under their client_id; safe to run again.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesAgentMailProblems();
        provisioning.MapPost("/webhook-watch", WatchWebhooksAsync)
            .WithName("WatchWebhooks")
            .WithSummary("Compares every customer's webhook with what it must be now, instead of at the watch's next look, and repairs those that differ.")
            .ProducesAgentMailProblems();
        return app;
    }

    private static async Task<Results<Ok<WebhookWatchResult>, ProblemHttpResult>> WatchWebhooksAsync(WebhookWatch watch, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(new WebhookWatchResult(await watch.LookAsync(cancellationToken)));
        }
        catch (Exception e) when (AgentMailProblems.For(e, "the look", "Look again later; what was repaired stays repaired.") is { } problem)
        {
            return problem;
        }
    }

    private static async Task<Results<Ok<ProvisioningView>, ProblemHttpResult>> ForOrderAsync(string orderId, ProvisioningReader reader, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return NotAnOrderId(orderId);
        }

        var view = await reader.ForOrderAsync(id, cancellationToken);
        return view is null
            ? TypedResults.Problem($"No provisioning saga for order {id}: its OrderCreated has not reached inbox-provisioner.", statusCode: StatusCodes.Status404NotFound, title: "Unknown order")
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Accepted<ProvisioningView>, ProblemHttpResult>> RetryAsync(string orderId, ProvisioningReader reader, IBus bus, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return NotAnOrderId(orderId);
        }

        var view = await reader.ForOrderAsync(id, cancellationToken);
        if (view is null)
        {
            return TypedResults.Problem($"No provisioning saga for order {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown order");
        }

        if (view.State != ProvisioningStates.Failed)
        {
            return TypedResults.Problem($"Only a Failed saga can be retried; order {id}'s is {view.State}.", statusCode: StatusCodes.Status409Conflict, title: "Not failed");
        }

        using var timeout = new CancellationTokenSource(RetryPublishTimeout);
        try
        {
            // The token lets MassTransit give up its wait for a connection; WaitAsync bounds the answer even where a
            // publish does not heed its token.
            await bus.Publish(new RetryProvisioning(id), timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or MassTransitException)
        {
            // Trying again is safe: a retry that got through after all starts the saga over, and one more finds it started.
            return TypedResults.Problem(
                $"The broker is unavailable: the retry of order {id} was not sent within {RetryPublishTimeout.TotalSeconds:0} s. Try again in a moment; a retry that got through meanwhile starts the saga over once.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Broker unavailable");
        }

        return TypedResults.Accepted($"/provisioning/{id}", view);
    }

    private static async Task<Results<Ok<CustomerSagas>, ProblemHttpResult>> ForCustomerAsync(
        [FromQuery(Name = UserIdParameter)] string? userId, HttpRequest request, ProvisioningReader reader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return TypedResults.Problem("Say whose sagas to list: /provisioning?user_id=<user id>.", statusCode: StatusCodes.Status400BadRequest, title: "Missing user_id");
        }

        // %FF reaches userId as the text "%FF", which no customer has: it was listed as an empty 200.
        if (QueryText.Refused(request, UserIdParameter) is { } badText)
        {
            return badText;
        }

        if (InvalidUserId(userId) is { } invalid)
        {
            return invalid;
        }

        return TypedResults.Ok(new CustomerSagas(userId, await reader.ForCustomerAsync(userId, cancellationToken)));
    }

    private static async Task<Results<Ok<CustomerInbox>, ProblemHttpResult>> CustomerAsync(string userId, ProvisioningReader reader, CancellationToken cancellationToken)
    {
        if (InvalidUserId(userId) is { } invalid)
        {
            return invalid;
        }

        var customer = await reader.CustomerAsync(userId, cancellationToken);
        return customer is null
            ? TypedResults.Problem($"Customer {userId} has no order recorded by inbox-provisioner.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer")
            : TypedResults.Ok(customer);
    }

    private static async Task<Results<Ok<TeardownResult>, ProblemHttpResult>> TearDownAsync(string userId, CustomerTeardown teardown, CancellationToken cancellationToken)
    {
        if (InvalidUserId(userId) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var result = await teardown.TearDownAsync(userId, cancellationToken);
            return result is null
                ? TypedResults.Problem($"Customer {userId} has nothing to tear down.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer")
                : TypedResults.Ok(result);
        }
        catch (Exception e) when (AgentMailProblems.For(e, "the teardown", "Run the teardown again; what was deleted stays deleted.") is { } problem)
        {
            return problem;
        }
    }

    // User ids are Clerk's (user_...): printable text. One with a control character (NUL above all, which PostgreSQL
    // refuses in text and so answered 500) or longer than any Clerk issues is refused saying so, before any lookup.
    private static ProblemHttpResult? InvalidUserId(string userId) =>
        userId.Length > MaxUserIdLength || userId.Any(char.IsControl)
            ? TypedResults.Problem($"A user id is printable text of at most {MaxUserIdLength} characters, as Clerk issues them.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid user id")
            : null;

    private static ProblemHttpResult NotAnOrderId(string orderId) =>
        TypedResults.Problem($"'{orderId}' is not an order id: order ids are UUIDs.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid order id");
}

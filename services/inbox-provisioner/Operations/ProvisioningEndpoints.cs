using MassTransit;
using Microsoft.AspNetCore.Mvc;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>
/// Ops' window on provisioning, on the service's internal port: every order's saga (state, each step's outcome,
/// history), every customer's AgentMail resources, and the retry and teardown commands.
/// </summary>
public static class ProvisioningEndpoints
{
    /// <summary>Maps <c>/provisioning</c>.</summary>
    public static IEndpointRouteBuilder MapProvisioning(this IEndpointRouteBuilder app)
    {
        var provisioning = app.MapGroup("/provisioning");
        provisioning.MapGet("/{orderId}", ForOrderAsync).WithName("GetProvisioning");
        provisioning.MapPost("/{orderId}/retry", RetryAsync).WithName("RetryProvisioning");
        provisioning.MapGet("", ForCustomerAsync).WithName("ListProvisioning");
        provisioning.MapGet("/customers/{userId}", CustomerAsync).WithName("GetCustomerInbox");
        provisioning.MapDelete("/customers/{userId}/inbox", TearDownAsync).WithName("TearDownCustomerInbox");
        return app;
    }

    private static async Task<IResult> ForOrderAsync(string orderId, ProvisioningReader reader, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return Results.Problem($"'{orderId}' is not an order id: order ids are UUIDs.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid order id");
        }

        var view = await reader.ForOrderAsync(id, cancellationToken);
        return view is null
            ? Results.Problem($"No provisioning saga for order {id}: its OrderCreated has not reached inbox-provisioner.", statusCode: StatusCodes.Status404NotFound, title: "Unknown order")
            : Results.Ok(view);
    }

    private static async Task<IResult> RetryAsync(string orderId, ProvisioningReader reader, IBus bus, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return Results.Problem($"'{orderId}' is not an order id: order ids are UUIDs.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid order id");
        }

        var view = await reader.ForOrderAsync(id, cancellationToken);
        if (view is null)
        {
            return Results.Problem($"No provisioning saga for order {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown order");
        }

        if (view.State != ProvisioningStates.Failed)
        {
            return Results.Problem($"Only a Failed saga can be retried; order {id}'s is {view.State}.", statusCode: StatusCodes.Status409Conflict, title: "Not failed");
        }

        await bus.Publish(new RetryProvisioning(id), cancellationToken);
        return Results.Accepted($"/provisioning/{id}", view);
    }

    private static async Task<IResult> ForCustomerAsync([FromQuery(Name = "user_id")] string? userId, ProvisioningReader reader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return Results.Problem("Say whose sagas to list: /provisioning?user_id=<user id>.", statusCode: StatusCodes.Status400BadRequest, title: "Missing user_id");
        }

        return Results.Ok(new { UserId = userId, Sagas = await reader.ForCustomerAsync(userId, cancellationToken) });
    }

    private static async Task<IResult> CustomerAsync(string userId, ProvisioningReader reader, CancellationToken cancellationToken)
    {
        var customer = await reader.CustomerAsync(userId, cancellationToken);
        return customer is null
            ? Results.Problem($"Customer {userId} has no order recorded by inbox-provisioner.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer")
            : Results.Ok(customer);
    }

    private static async Task<IResult> TearDownAsync(string userId, CustomerTeardown teardown, CancellationToken cancellationToken)
    {
        try
        {
            var result = await teardown.TearDownAsync(userId, cancellationToken);
            return result is null
                ? Results.Problem($"Customer {userId} has nothing to tear down.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer")
                : Results.Ok(result);
        }
        catch (AgentMailUnavailableException e)
        {
            return Results.Problem($"AgentMail is unavailable: {e.Message} Run the teardown again; what was deleted stays deleted.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "AgentMail unavailable");
        }
        catch (AgentMailException e)
        {
            return Results.Problem($"AgentMail refused: {e.Message}", statusCode: StatusCodes.Status502BadGateway, title: "AgentMail refused the teardown");
        }
    }
}

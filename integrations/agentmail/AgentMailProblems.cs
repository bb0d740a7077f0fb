using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// What an ops route answers when the AgentMail call it made for the request failed, in every service alike: 503 when
/// AgentMail could not answer (<see cref="AgentMailUnavailableException"/>: the same request later may do), 502 when it
/// refused (<see cref="AgentMailException"/>) or answered what is not its API's (<see cref="JsonException"/>). Neither
/// is the service's own fault, and without this each was a bare 500 that said nothing of AgentMail.
/// </summary>
public static class AgentMailProblems
{
    /// <summary>
    /// The problem for <paramref name="exception"/>, or null when it is not a failure of an AgentMail call (for a
    /// <c>catch ... when</c>: anything else is left to the host's exception handlers).
    /// </summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="action">What the route was doing, for the titles (<c>the teardown</c>).</param>
    /// <param name="again">What asking again does, told after an outage (<c>Run the teardown again; ...</c>).</param>
    public static ProblemHttpResult? For(Exception exception, string action, string again) => exception switch
    {
        AgentMailUnavailableException e => TypedResults.Problem(
            $"AgentMail is unavailable: {e.Message} {again}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "AgentMail unavailable"),
        AgentMailException e => TypedResults.Problem(
            $"AgentMail refused: {e.Message}", statusCode: StatusCodes.Status502BadGateway, title: $"AgentMail refused {action}"),
        JsonException e => TypedResults.Problem(
            $"AgentMail answered, but not as documented: {e.Message}", statusCode: StatusCodes.Status502BadGateway, title: $"AgentMail's answer to {action} cannot be read"),
        _ => null,
    };

    /// <summary>Lists the answers of <see cref="For"/> in the route's OpenAPI document.</summary>
    public static RouteHandlerBuilder ProducesAgentMailProblems(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>Marks an endpoint whose refused requests get the signed-out HTML page rather than problem+json.</summary>
public sealed class HtmlSignInPage;

/// <summary>
/// Authorization still decides every request to the timeline page exactly as for the API (the endpoint requires it);
/// only what a person sees when it challenges changes: a 401 page saying to sign in, with <c>WWW-Authenticate: Bearer</c>
/// as the API sends, instead of a JSON problem in the browser; the busy page when Clerk's signing keys could not be
/// fetched, as the API answers 503 then. Every other endpoint keeps the default handling.
/// </summary>
public sealed class SignedOutPageHandler(TimelineAssets assets, ClerkSessionEvents sessions, BusyPage busy) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!authorizeResult.Challenged || context.GetEndpoint()?.Metadata.GetMetadata<HtmlSignInPage>() is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        // Keys that could not be fetched say nothing of the session: signing in again would be refused the same way. The
        // scheme keeps its result for the request, so asking again verifies nothing twice.
        if ((await context.AuthenticateAsync()).Failure is { } failure
            && sessions.Explain(failure, context.RequestAborted) == SessionTokenRejection.KeysUnavailable)
        {
            await busy.Answer(context, SessionTokenRejection.KeysUnavailable.Detail).ExecuteAsync(context);
            return;
        }

        var page = assets.PageNamed(TimelineAssets.SignedOutPage);
        PageHeaders.Apply(context.Response, isPage: true);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Content(page.Text, page.ContentType, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }
}

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// JwtBearer's events for Clerk: where the token is taken from and what is not even tried as one, the Clerk claim
/// checks once IdentityModel has verified the token, and a 401 that says why (problem+json with a <c>reason</c>, and
/// <c>WWW-Authenticate: Bearer</c> saying the same), or a 503 when the keys to verify it could not be fetched
/// (<see cref="KeysUnavailableAnswer"/>).
/// </summary>
public sealed partial class ClerkSessionEvents(
    IOptionsMonitor<ClerkSessionOptions> options,
    ClerkJwksRetriever jwks,
    ILogger<ClerkSessionEvents> logger) : JwtBearerEvents
{
    // Clerk's machine tokens (M2M, OAuth access, API keys): never a signed-in user.
    private static readonly string[] MachineTokenPrefixes = ["mt_", "oat_", "ak_"];

    private ClerkSessionOptions Settings => options.Get(ClerkAuthentication.SchemeName);

    /// <inheritdoc />
    public override Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = SessionTokenSource.Find(context.Request);
        if (token is null)
        {
            // NoResult rather than no token: JwtBearer would otherwise read the header itself, case-insensitively.
            context.NoResult();
        }
        else if (token.Length == 0)
        {
            context.Fail(new SessionTokenRefusedException(SessionTokenRejection.Malformed));
        }
        else if (MachineTokenPrefixes.Any(prefix => token.StartsWith(prefix, StringComparison.Ordinal)))
        {
            context.Fail(new SessionTokenRefusedException(SessionTokenRejection.MachineToken));
        }
        else
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ClerkSessionClaims.Check((JsonWebToken)context.SecurityToken, Settings.AuthorizedParties) is { } rejection)
        {
            context.Fail(new SessionTokenRefusedException(rejection));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HandleResponse();
        var rejection = context.AuthenticateFailure is { } failure
            ? Explain(failure, context.HttpContext.RequestAborted)
            : SessionTokenRejection.NoToken;
        if (rejection == SessionTokenRejection.KeysUnavailable)
        {
            await KeysUnavailableAnswer.Problem(context.Response).ExecuteAsync(context.HttpContext);
            return;
        }

        // RFC 6750 §3: a request without a token gets the bare scheme; a refused token gets invalid_token.
        context.Response.Headers.WWWAuthenticate = rejection == SessionTokenRejection.NoToken
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{rejection.Detail}\"";
        await TypedResults.Problem(
            rejection.Detail,
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            extensions: new Dictionary<string, object?> { [SessionTokenRejection.ReasonExtension] = rejection.Code })
            .ExecuteAsync(context.HttpContext);
    }

    /// <summary>
    /// Why <paramref name="failure"/> refused the token, <see cref="SessionTokenRejection.Unexpected"/> (logged unless the
    /// caller went away) when no check foresaw it. The timeline page asks too, to show its busy page when the keys were
    /// unavailable.
    /// </summary>
    public SessionTokenRejection Explain(Exception failure, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var keyIsPinned = !string.IsNullOrWhiteSpace(Settings.PublicKeyPem);
        if (SessionTokenFailures.Classify(failure, keyIsPinned, jwks.LastFetchFailed) is { } rejection)
        {
            return rejection;
        }

        if (!requestAborted.IsCancellationRequested)
        {
            // JwtBearer logs only the message of a failure; keep the stack trace of one no check foresaw.
            LogUnexpectedFailure(logger, failure);
        }

        return SessionTokenRejection.Unexpected;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Verifying a Clerk session token failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception);
}

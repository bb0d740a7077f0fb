using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// ASP.NET Core's authentication scheme for Clerk session tokens: authenticating validates the request's token with
/// <see cref="SessionTokenValidator"/>; challenging answers 401 with a problem+json body and a
/// <c>WWW-Authenticate: Bearer</c> header that both say why the token was refused.
/// </summary>
public sealed partial class ClerkSessionHandler(
    IOptionsMonitor<ClerkSessionOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    SessionTokenValidator validator)
    : AuthenticationHandler<ClerkSessionOptions>(options, loggers, encoder)
{
    /// <summary>The problem member holding the rejection's <see cref="SessionTokenRejection.Code"/>, for clients to branch on.</summary>
    public const string ReasonExtension = "reason";

    /// <summary>Told when authentication failed in a way no check foresaw; the cause is logged, never shown.</summary>
    public static readonly SessionTokenRejection UnexpectedFailure = new("unexpected", "The session token could not be verified.");

    // A handler serves one request, so the reason found while authenticating is still here when challenging.
    private SessionTokenRejection? _rejection;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = SessionTokenSource.Find(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var validation = await validator.ValidateAsync(token, Scheme.Name, Context.RequestAborted);
        if (!validation.Succeeded)
        {
            _rejection = validation.Rejection;
            return AuthenticateResult.Fail(validation.Rejection.Detail);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(validation.User, Scheme.Name));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is { } failure && _rejection is null && !Context.RequestAborted.IsCancellationRequested)
        {
            // The base class turns exceptions into failures and logs only their message; keep the stack trace.
            LogUnexpectedFailure(Logger, failure);
        }

        var rejection = result.None ? SessionTokenRejection.NoToken : _rejection ?? UnexpectedFailure;

        // RFC 6750 §3: a request without a token gets the bare scheme; a refused token gets invalid_token.
        Response.Headers.WWWAuthenticate = result.None
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{rejection.Detail}\"";
        await TypedResults.Problem(
            rejection.Detail,
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            extensions: new Dictionary<string, object?> { [ReasonExtension] = rejection.Code })
            .ExecuteAsync(Context);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Verifying a Clerk session token failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception);
}

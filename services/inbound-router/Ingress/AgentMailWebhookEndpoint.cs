using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// <c>POST /webhooks/agentmail</c>: verifies the Svix signature over the exact bytes received with the secret of the
/// webhook that feeds the inbox the event names, records the event once (its <c>svix-id</c> and <c>event_id</c>)
/// together with what hands it on (a received email's routing payload, a delivery fact's outbox row), and only then answers. Refusals store, publish and log nothing but a
/// counter and one line without the body, and are answered with a problem saying what is wrong (<see cref="WebhookProblems"/>).
/// A verified event of a type the router takes that cannot be read as that event is not refused but set aside for a
/// person (<see cref="UnreadableEvents"/>): Svix would retry a refusal for days and then drop the customer's email.
/// </summary>
public static partial class AgentMailWebhookEndpoint
{
    /// <summary>The route AgentMail posts to.</summary>
    public const string Route = "/webhooks/agentmail";

    /// <summary>
    /// Maps the route, outside any authentication (the signature is the authentication), with every answer it gives in
    /// the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentMailWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync)
            .WithName("ReceiveAgentMailWebhook")
            .WithSummary("An AgentMail event (docs/agentmail.md), signed by Svix with the secret of the webhook of the inbox it names.")
            .WithDescription(
                "202 once recorded (and handed on) durably, or, for a verified event of a type the router takes that cannot be read as that event, once set "
                + "aside for a person with its reason (GET /routing/set-aside); 200 for an svix-id or event_id recorded before. A refusal stores and publishes nothing.")
            .ProducesWebhookAnswers();
        return app;
    }

    /// <summary>Handles one delivery.</summary>
    public static async Task<Results<Accepted, Ok, ProblemHttpResult>> HandleAsync(
        HttpRequest request,
        InboxSecrets secrets,
        ReceivedEventLog events,
        UnreadableEvents setAside,
        OutboxWriter outbox,
        IngressMetrics metrics,
        IOptions<IngressOptions> options,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(setAside);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(clock);
        var logger = loggers.CreateLogger(typeof(AgentMailWebhookEndpoint).FullName!);
        if (!WebhookProblems.IsJson(request.ContentType))
        {
            Reject(metrics, logger, StatusCodes.Status415UnsupportedMediaType, "content_type");
            return WebhookProblems.NotJson();
        }

        var limit = options.Value.MaxBodyBytes;
        if (await WebhookBody.ReadAsync(request, limit, cancellationToken) is not { } body)
        {
            Reject(metrics, logger, StatusCodes.Status413PayloadTooLarge, "too_large");
            return WebhookProblems.TooLarge(limit);
        }

        // Before the signature is checked the body is only looked at for the inbox it names: whatever does not parse, or
        // names none, cannot be verified and is refused like any unsigned body (401), never answered with a parse error.
        using var document = TryParse(body);
        if (document is null || AgentMailEventReader.InboxOf(document.RootElement) is not { } inboxId)
        {
            Refuse(metrics, logger, "unverifiable_body", null);
            return WebhookProblems.Unverified("The body is not a JSON event naming an inbox, so no inbox's secret can verify it.");
        }

        WebhookVerification? verification;
        (string Reason, ProblemHttpResult Problem) refusal;
        try
        {
            (verification, refusal) = await VerifyAsync(secrets, inboxId, body, request.Headers, logger);
        }
        catch (SecretStoreUnavailableException e)
        {
            // The database, not the signature, failed: a refusal would read as a forgery and be counted as one.
            metrics.Record("unavailable", "database");
            LogSecretStoreUnavailable(logger, inboxId, e);
            return WebhookProblems.RetryLater(request.HttpContext.Response, "The signing secret of this inbox's webhook could not be read from the database now; retry the event.");
        }

        if (verification is null)
        {
            Refuse(metrics, logger, refusal.Reason, inboxId);
            return refusal.Problem;
        }

        var (keys, invalid) = AgentMailEventReader.Identify(document.RootElement, verification.MessageId!, inboxId);
        if (keys is null)
        {
            metrics.Record("invalid", "event_shape");
            LogInvalid(logger, verification.MessageId!, inboxId, invalid!);
            return TypedResults.Problem(invalid, statusCode: StatusCodes.Status400BadRequest);
        }

        var (read, unreadable) = AgentMailEventReader.Read(document.RootElement, keys, outbox!, clock.GetUtcNow());
        try
        {
            var isNew = read is not null ? await events.RecordAsync(read, cancellationToken) : await setAside.SetAsideAsync(keys, unreadable!, body, cancellationToken);
            metrics.Record(isNew ? (read is null ? "set_aside" : "recorded") : "duplicate", keys.EventType);
            return isNew ? TypedResults.Accepted((string?)null) : TypedResults.Ok();
        }
        catch (IngressQueueFullException e)
        {
            metrics.Record("unavailable", "queue_full");
            LogQueueFull(logger, keys.SvixId, e.Message);
            return WebhookProblems.RetryLater(request.HttpContext.Response, "The router has as many events waiting to be recorded as it holds; retry it (it is recorded once, however often it comes).");
        }
        catch (Exception e) when (e is TimeoutException or NpgsqlException)
        {
            metrics.Record("unavailable", "database");
            LogUnavailable(logger, keys.SvixId, e);
            return WebhookProblems.RetryLater(request.HttpContext.Response, "The event could not be recorded in time; retry it (it is recorded once, however often it comes).");
        }
    }

    // An inbox the router does not know is refused in the words of a signature that does not match: the answer must
    // not tell a prober which inboxes exist.
    private static async Task<(WebhookVerification? Verified, (string Reason, ProblemHttpResult Problem) Refusal)> VerifyAsync(
        InboxSecrets secrets, string inboxId, byte[] body, IHeaderDictionary headers, ILogger logger)
    {
        try
        {
            if (await secrets.VerifierAsync(inboxId) is not { } verifier)
            {
                return (null, ("unknown_inbox", WebhookProblems.Unverified(WebhookRefusal.NoMatchingSignature)));
            }

            var verification = verifier.Verify(body, headers);
            if (verification.Refusal == WebhookRefusal.NoMatchingSignature && await secrets.RefreshedVerifierAsync(inboxId, verifier) is { } refreshed)
            {
                verification = refreshed.Verify(body, headers);
            }

            return verification.IsVerified
                ? (verification, default)
                : (null, (Reason(verification.Refusal.Value), WebhookProblems.Unverified(verification.Refusal.Value)));
        }
        catch (UnverifiedLookupsExhaustedException)
        {
            return (null, ("lookups_exhausted", WebhookProblems.Unverified("Too many events for inboxes this router has still to look up arrived at once; a retry is welcome.")));
        }
        catch (Exception e) when (e is not OutOfMemoryException and not SecretStoreUnavailableException)
        {
            // AgentMail could not say which secret signs this inbox's events: nothing can be trusted.
            LogSecretUnavailable(logger, inboxId, e.GetType().Name);
            return (null, ("secret_unavailable", WebhookProblems.Unverified("The signing secret of this inbox's webhook could not be looked up now; a retry is welcome.")));
        }
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Reason(WebhookRefusal refusal) => refusal switch
    {
        WebhookRefusal.MissingHeaders => "missing_headers",
        WebhookRefusal.InvalidTimestamp => "invalid_timestamp",
        WebhookRefusal.StaleTimestamp => "stale_timestamp",
        WebhookRefusal.FutureTimestamp => "future_timestamp",
        WebhookRefusal.BodyNotUtf8 => "body_not_utf8",
        _ => "no_matching_signature",
    };

    private static void Refuse(IngressMetrics metrics, ILogger logger, string reason, string? inboxId)
    {
        metrics.Record("refused", reason);
        LogRefused(logger, reason, inboxId);
    }

    private static void Reject(IngressMetrics metrics, ILogger logger, int status, string reason)
    {
        metrics.Record("rejected", reason);
        LogRejected(logger, status, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: refused an AgentMail webhook ({Reason}) naming inbox {InboxId}")]
    private static partial void LogRefused(ILogger logger, string reason, string? inboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: rejected an AgentMail webhook with {Status} ({Reason})")]
    private static partial void LogRejected(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: verified event {SvixId} of inbox {InboxId} is not one the router takes: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string svixId, string inboxId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: the secret of inbox {InboxId} could not be had ({Error})")]
    private static partial void LogSecretUnavailable(ILogger logger, string inboxId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingress: the secret of inbox {InboxId} could not be read from the database; answered 503 for AgentMail to retry")]
    private static partial void LogSecretStoreUnavailable(ILogger logger, string inboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: event {SvixId} was not queued ({Reason}); answered 503 at once for AgentMail to retry")]
    private static partial void LogQueueFull(ILogger logger, string svixId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingress: event {SvixId} could not be recorded; answered 503 for AgentMail to retry")]
    private static partial void LogUnavailable(ILogger logger, string svixId, Exception exception);
}

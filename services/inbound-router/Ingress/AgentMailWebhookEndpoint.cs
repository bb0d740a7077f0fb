using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// <c>POST /webhooks/agentmail</c>: verifies the Svix signature over the exact bytes received with the secret of the
/// webhook that feeds the inbox the event names, records the event once (its <c>svix-id</c> and <c>event_id</c>)
/// together with what hands it on (a received email's routing payload, a delivery fact's outbox row), and only then answers. Refusals store, publish and log nothing but a
/// counter and one line without the body.
/// </summary>
public static partial class AgentMailWebhookEndpoint
{
    /// <summary>The route AgentMail posts to.</summary>
    public const string Route = "/webhooks/agentmail";

    /// <summary>Handles one delivery.</summary>
    public static async Task<Results<Accepted, Ok, BadRequest<string>, UnauthorizedHttpResult, StatusCodeHttpResult>> HandleAsync(
        HttpRequest request,
        InboxSecrets secrets,
        ReceivedEventLog events,
        OutboxWriter outbox,
        IngressMetrics metrics,
        IOptions<IngressOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(metrics);
        var logger = loggers.CreateLogger(typeof(AgentMailWebhookEndpoint).FullName!);
        if (!IsJson(request.ContentType))
        {
            return Reject(metrics, logger, StatusCodes.Status415UnsupportedMediaType, "content_type");
        }

        if (await WebhookBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken) is not { } body)
        {
            return Reject(metrics, logger, StatusCodes.Status413PayloadTooLarge, "too_large");
        }

        // Before the signature is checked the body is only looked at for the inbox it names: whatever does not parse, or
        // names none, cannot be verified and is refused like any unsigned body (401), never answered with a parse error.
        using var document = TryParse(body);
        if (document is null || AgentMailEventReader.InboxOf(document.RootElement) is not { } inboxId)
        {
            return Refuse(metrics, logger, "unverifiable_body", null);
        }

        var (verification, refusal) = await VerifyAsync(secrets, inboxId, body, request.Headers, logger);
        if (verification is null)
        {
            return Refuse(metrics, logger, refusal, inboxId);
        }

        var (read, problem) = AgentMailEventReader.Read(document.RootElement, verification.MessageId!, inboxId, outbox!);
        if (read is null)
        {
            metrics.Record("invalid", "event_shape");
            LogInvalid(logger, verification.MessageId!, inboxId, problem!);
            return TypedResults.BadRequest(problem);
        }

        try
        {
            var isNew = await events.RecordAsync(read, cancellationToken);
            metrics.Record(isNew ? "recorded" : "duplicate", read.EventType);
            return isNew ? TypedResults.Accepted((string?)null) : TypedResults.Ok();
        }
        catch (Exception e) when (e is TimeoutException or NpgsqlException)
        {
            metrics.Record("unavailable", "database");
            LogUnavailable(logger, read.SvixId, e);
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<(WebhookVerification? Verified, string Refusal)> VerifyAsync(
        InboxSecrets secrets, string inboxId, byte[] body, IHeaderDictionary headers, ILogger logger)
    {
        try
        {
            if (await secrets.VerifierAsync(inboxId) is not { } verifier)
            {
                return (null, "unknown_inbox");
            }

            var verification = verifier.Verify(body, headers);
            if (verification.Refusal == WebhookRefusal.NoMatchingSignature && await secrets.RefreshedVerifierAsync(inboxId, verifier) is { } refreshed)
            {
                verification = refreshed.Verify(body, headers);
            }

            return verification.IsVerified ? (verification, "") : (null, Reason(verification.Refusal!.Value));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // AgentMail or the database could not say which secret signs this inbox's events: nothing can be trusted.
            LogSecretUnavailable(logger, inboxId, e.GetType().Name);
            return (null, "secret_unavailable");
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

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

    private static UnauthorizedHttpResult Refuse(IngressMetrics metrics, ILogger logger, string reason, string? inboxId)
    {
        metrics.Record("refused", reason);
        LogRefused(logger, reason, inboxId);
        return TypedResults.Unauthorized();
    }

    private static StatusCodeHttpResult Reject(IngressMetrics metrics, ILogger logger, int status, string reason)
    {
        metrics.Record("rejected", reason);
        LogRejected(logger, status, reason);
        return TypedResults.StatusCode(status);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: refused an AgentMail webhook ({Reason}) naming inbox {InboxId}")]
    private static partial void LogRefused(ILogger logger, string reason, string? inboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: rejected an AgentMail webhook with {Status} ({Reason})")]
    private static partial void LogRejected(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: verified event {SvixId} of inbox {InboxId} is not one the router takes: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string svixId, string inboxId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: the secret of inbox {InboxId} could not be had ({Error})")]
    private static partial void LogSecretUnavailable(ILogger logger, string inboxId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingress: event {SvixId} could not be recorded; answered 503 for AgentMail to retry")]
    private static partial void LogUnavailable(ILogger logger, string svixId, Exception exception);
}

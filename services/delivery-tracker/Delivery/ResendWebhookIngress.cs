using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// Resend's delivery webhooks (docs/resend.md §5, §6): the raw body verified with the endpoint's secret
/// (docs/webhook-signatures.md §2), deduplicated by <c>svix-id</c>, and applied in one transaction with the record
/// of that id, so a retry after a crash applies it again and a retry after a commit changes nothing. An event that
/// changes nothing is not recorded at all (<see cref="DeliveryStateStore"/>: it never could change anything). A refusal changes
/// nothing and is answered with a problem saying what is wrong (<see cref="WebhookProblems"/>, the words of every ingress).
/// </summary>
public sealed partial class ResendWebhookIngress(
    IOptions<ResendWebhookOptions> options,
    IOptions<RelayOptions> relayOptions,
    TimeProvider clock,
    NpgsqlDataSource dataSource,
    DeliveryStateStore store,
    OutboxWriter outbox,
    DeliveryTelemetry telemetry,
    ILogger<ResendWebhookIngress> logger)
{
    private const string ProviderName = "resend";

    private readonly SvixWebhookVerifier? _verifier =
        string.IsNullOrEmpty(options.Value.WebhookSecret) ? null : new SvixWebhookVerifier(options.Value.WebhookSecret, clock);

    /// <summary>Handles one delivery: null once it is handled (applied, kept for later, a duplicate or an event not tracked), else why it was refused.</summary>
    public async Task<ProblemHttpResult?> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Under the sender's trace when the webhook names one (the email's sending, for the sandbox).
        using var activity = telemetry.StartWebhook(ProviderName);
        try
        {
            var (reason, problem) = await VerifyAndApplyAsync(request, cancellationToken);
            telemetry.WebhookAnswered(ProviderName, problem is null ? "accepted" : "refused", reason);
            return problem;
        }
        catch (Exception e) when (TransientDatabaseFailure.Is(e))
        {
            // Answered 503 with Retry-After (DatabaseBusyExceptionHandler), neither taken nor refused: Resend sends it
            // again. Counted as the router counts AgentMail's in the same case; uncounted, an outage left no trace here.
            telemetry.WebhookAnswered(ProviderName, "unavailable", "database");
            throw;
        }
    }

    private async Task<(string Reason, ProblemHttpResult? Problem)> VerifyAndApplyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (_verifier is null)
        {
            LogNotConfigured(logger);
            return ("not_configured", TypedResults.Problem("Resend:WebhookSecret is not configured.", statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        if (!WebhookProblems.IsJson(request.ContentType))
        {
            LogRefused(logger, "not JSON by its content type");
            return ("content_type", WebhookProblems.NotJson());
        }

        var limit = options.Value.MaxBodyBytes;
        if (await WebhookBody.ReadAsync(request, limit, cancellationToken) is not { } body)
        {
            LogRefused(logger, "body over the limit");
            return ("too_large", WebhookProblems.TooLarge(limit));
        }

        var verification = _verifier.Verify(body, request.Headers);
        if (!verification.IsVerified)
        {
            LogUnverified(logger, verification.Refusal);
            return (Reason(verification.Refusal), WebhookProblems.Unverified(verification.Refusal.Value));
        }

        var parsed = WebhookIdLimits.TooLong(("svix-id", verification.MessageId, WebhookIdLimits.IdBytes)) is { } tooLong
            ? new ResendEvent(ResendEventKind.Invalid, null, Problem: tooLong)
            : ResendEventParser.Parse(body, relayOptions.Value.SenderTag);
        switch (parsed.Kind)
        {
            case ResendEventKind.Invalid:
                LogInvalid(logger, verification.MessageId, parsed.Problem!);
                return ("invalid", TypedResults.Problem(parsed.Problem, statusCode: StatusCodes.Status400BadRequest));
            case ResendEventKind.Ignored:
                return ("ignored", null);
        }

        var fact = new DeliveryFact(EmailProvider.Resend, parsed.EmailId!, parsed.State, parsed.Detail, parsed.OccurredAt, $"resend:{verification.MessageId}", parsed.InternetMessageId, parsed.Bounce);
        var outcome = await ApplyOnceAsync(verification.MessageId, parsed.Type!, fact, parsed.SentByRelay, cancellationToken);
        if (outcome == DeliveryOutcome.NotOurs)
        {
            LogNotOurs(logger, verification.MessageId, parsed.Type!, parsed.EmailId!);
        }
        else if (outcome is { } applied)
        {
            LogApplied(logger, verification.MessageId, parsed.Type!, parsed.EmailId!, applied);
        }
        else
        {
            LogDuplicate(logger, verification.MessageId);
        }

        return (outcome is null ? "duplicate" : JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.Value.ToString()), null);
    }

    private static string Reason(WebhookRefusal? refusal) => JsonNamingPolicy.SnakeCaseLower.ConvertName(refusal?.ToString() ?? "unverified");

    // The svix-id is recorded only by a delivery that changes something, in the transaction of that change; a fact that
    // changes nothing (an email already at that state or past it, "sent" for one not recorded yet) writes nothing at all.
    private async Task<DeliveryOutcome?> ApplyOnceAsync(string svixId, string type, DeliveryFact fact, bool sentByRelay, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var outcome = await store.ApplyOrKeepAsync(
            transaction,
            fact,
            async token => await connection.ExecuteAsync(new CommandDefinition(
                "insert into resend_webhook_deliveries (svix_id, event_type) values (@SvixId, @Type) on conflict do nothing",
                new { SvixId = svixId, Type = type },
                transaction,
                cancellationToken: token)) == 1,
            sentByRelay,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        telemetry.Applied(fact, outcome);
        if (outcome is DeliveryOutcome.Moved or DeliveryOutcome.Learned)
        {
            outbox.Notify();
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resend webhook refused with 503: Resend:WebhookSecret is not configured")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend webhook refused: {Refusal}")]
    private static partial void LogUnverified(ILogger logger, WebhookRefusal? refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resend webhook {SvixId} was already applied")]
    private static partial void LogDuplicate(ILogger logger, string svixId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend webhook {SvixId} is signed but unreadable: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string svixId, string problem);

    // Debug: every email other applications send through the same Resend account brings a few of these.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Resend webhook {SvixId} ({Type}) is about email {ResendEmailId}, which the relay did not send; acknowledged, not kept")]
    private static partial void LogNotOurs(ILogger logger, string svixId, string type, string resendEmailId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resend webhook {SvixId} ({Type}) for email {ResendEmailId}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string svixId, string type, string resendEmailId, DeliveryOutcome outcome);
}

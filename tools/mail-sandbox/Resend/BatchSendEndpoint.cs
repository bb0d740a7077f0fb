using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Resend's <c>POST /emails/batch</c> (docs/resend.md §1): an array of 1 to <see cref="MaxEmails"/> emails, each
/// checked as a single send is, none with attachments or scheduling, answered <c>{"data":[{"id"}...]}</c> in the
/// request's order. Strict, as Resend is by default: one invalid email refuses the whole batch and nothing is sent.
/// The <c>Idempotency-Key</c> covers the whole batch, and the batch is one request to the rate limit.
/// </summary>
public static class BatchSendEndpoint
{
    /// <summary>The most emails one batch may carry.</summary>
    public const int MaxEmails = 100;

    private static readonly string[] NotInBatches = ["attachments", "scheduled_at"];

    /// <summary>Handles one batch.</summary>
    public static async Task<IResult> SendAsync(HttpContext http, IdempotencyStore idempotency, ResendMailer mailer)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(idempotency);
        ArgumentNullException.ThrowIfNull(mailer);
        var apiKey = ResendApiKey.Of(http)!;
        var (idempotencyKey, keyError) = ResendEndpoints.IdempotencyKeyOf(http.Request);
        if (keyError is not null)
        {
            return keyError;
        }

        if (await ReadArrayAsync(http.Request) is not { } body)
        {
            return ResendError.Of(400, "validation_error", "The request body must be a JSON array of emails.");
        }

        // A remembered key decides before validation: the same payload was valid the first time.
        if (idempotencyKey is not null && idempotency.Find(apiKey, idempotencyKey) is { } earlier)
        {
            return JsonNode.DeepEquals(earlier.Payload, body)
                ? Answer(earlier.EmailIds)
                : ResendError.Of(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
        }

        var (requests, error) = Validate(body);
        if (error is not null)
        {
            return error;
        }

        var ids = requests.Select(r => mailer.Send(r).Id).ToList();
        if (idempotencyKey is not null)
        {
            idempotency.Remember(apiKey, idempotencyKey, body, ids);
        }

        return Answer(ids);
    }

    private static (IReadOnlyList<SendEmailRequest> Requests, IResult? Error) Validate(JsonArray body)
    {
        if (body.Count is 0 or > MaxEmails)
        {
            return ([], ResendError.Of(422, "invalid_parameter", $"A batch must hold between 1 and {MaxEmails} emails, not {body.Count}."));
        }

        var requests = new List<SendEmailRequest>(body.Count);
        for (var i = 0; i < body.Count; i++)
        {
            if (body[i] is not JsonObject email)
            {
                return ([], ResendError.Of(400, "validation_error", $"emails[{i}]: each email must be a JSON object."));
            }

            if (NotInBatches.FirstOrDefault(f => email[f] is not null) is { } field)
            {
                return ([], ResendError.Of(422, "invalid_parameter", $"emails[{i}]: `{field}` is not supported on batch emails."));
            }

            var (request, error) = EmailValidation.Validate(email);
            if (error is not null)
            {
                return ([], error);
            }

            requests.Add(request!);
        }

        return (requests, null);
    }

    private static IResult Answer(IEnumerable<string> ids) => Results.Json(new { data = ids.Select(id => new { id }) }, SandboxJson.Options);

    private static async Task<JsonArray?> ReadArrayAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonArray;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

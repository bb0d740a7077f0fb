using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>Resend's API under <c>/resend</c>, and its sandbox controls.</summary>
public static class ResendEndpoints
{
    /// <summary>Registers Resend's state.</summary>
    public static IServiceCollection AddResend(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        AddState<ResendStore>(services);
        AddState<DesignatedRecipients>(services);
        AddState<IdempotencyStore>(services);
        AddState<RateLimiter>(services);
        services.AddSingleton<ResendEvents>();
        services.AddSingleton<ResendMailer>();
        return services;
    }

    /// <summary>
    /// Maps <c>/resend/emails</c> and <c>/resend/emails/batch</c> on a group that already checks the API key. Resend's own filters come next,
    /// in the order the real service applies them: the rate limit, then the in-flight idempotency key, and
    /// only then the sandbox's injected faults, so a slowed request still holds its key.
    /// </summary>
    public static RouteGroupBuilder MapResend(this RouteGroupBuilder resend)
    {
        ArgumentNullException.ThrowIfNull(resend);
        resend.AddEndpointFilter<RateLimitFilter>()
            .AddEndpointFilter<IdempotencyInFlightFilter>()
            .AddEndpointFilter<FaultInjectionFilter>();

        resend.MapPost("/emails", SendAsync).Operation(SandboxApi.Resend, "emails.send");
        resend.MapPost("/emails/batch", BatchSendEndpoint.SendAsync).Operation(SandboxApi.Resend, "emails.batch");
        resend.MapGet("/emails/{id}", Get).Operation(SandboxApi.Resend, "emails.get");
        return resend;
    }

    /// <summary>Maps the controls under <c>/sandbox/resend</c>.</summary>
    public static RouteGroupBuilder MapResendControls(this RouteGroupBuilder sandbox) => ResendControlEndpoints.Map(sandbox);

    private static void AddState<T>(IServiceCollection services)
        where T : class, ISandboxState
    {
        services.AddSingleton<T>();
        services.AddSingleton<ISandboxState>(sp => sp.GetRequiredService<T>());
    }

    private static async Task<IResult> SendAsync(HttpContext http, IdempotencyStore idempotency, ResendMailer mailer)
    {
        // The key filter ran first, so there is a key.
        var apiKey = ResendApiKey.Of(http)!;
        var (idempotencyKey, keyError) = IdempotencyKeyOf(http.Request);
        if (keyError is not null)
        {
            return keyError;
        }

        if (await ReadObjectAsync(http.Request) is not { } body)
        {
            return ResendError.Of(400, "validation_error", "The request body must be a JSON object.");
        }

        // A remembered key decides before validation: the same payload was valid the first time.
        if (idempotencyKey is not null && idempotency.Find(apiKey, idempotencyKey) is { } earlier)
        {
            return JsonNode.DeepEquals(earlier.Payload, body)
                ? Results.Json(new { id = earlier.EmailId }, SandboxJson.Options)
                : ResendError.Of(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
        }

        var (request, error) = EmailValidation.Validate(body);
        if (error is not null)
        {
            return error;
        }

        var email = mailer.Send(request!);
        if (idempotencyKey is not null)
        {
            idempotency.Remember(apiKey, idempotencyKey, body, email.Id);
        }

        return Results.Json(new { id = email.Id }, SandboxJson.Options);
    }

    /// <summary>The request's <c>Idempotency-Key</c> (null when it has none), or the 400 a malformed one gets.</summary>
    internal static (string? Key, IResult? Error) IdempotencyKeyOf(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(IdempotencyStore.Header, out var values))
        {
            return (null, null);
        }

        var key = values.ToString();
        return IdempotencyStore.IsValidKey(key) ? (key, null) : (null, ResendError.Of(400, "invalid_idempotency_key", "The key must be between 1-256 chars."));
    }

    private static IResult Get(string id, ResendStore store)
    {
        if (!Guid.TryParse(id, out _))
        {
            return ResendError.Of(422, "invalid_parameter", "The `id` must be a valid UUID.");
        }

        return store.FindEmail(id) is { } email
            ? Results.Json(email.ToResource(), SandboxJson.Options)
            : ResendError.Of(404, "not_found", "Email not found.");
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

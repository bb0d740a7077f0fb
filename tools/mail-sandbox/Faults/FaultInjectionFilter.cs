using OrdersMail.MailSandbox.ChatCompletions;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Faults;

/// <summary>
/// Applies the request faults in force to an emulated endpoint: added latency, a hang, or an error status with the
/// API's own error body (and <c>Retry-After</c> on 429/503) before it runs; an answer held back, a success answered
/// with a body that is not the API's, or one whose body stalls after its first byte, after it ran; and the API's body
/// altered (<see cref="AlteredAnswers"/>), a success's or an error's. Added to each API's route group.
/// </summary>
public sealed class FaultInjectionFilter(FaultRegistry faults) : IEndpointFilter
{
    private const string MalformedPage = "<html><body>OK</body></html>";
    private static readonly TimeSpan LongestHang = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<SandboxOperation>() is not { } operation)
        {
            return await next(context);
        }

        var rules = faults.Take(operation.Api, operation.Name, r => r.LatencyMs is not null || r.AnswerDelayMs is not null || r.Hang || r.ErrorStatus is not null || r.MalformedAnswer || r.StallBody || AlteredAnswers.Alters(r));
        foreach (var rule in rules.Where(r => r.LatencyMs is > 0))
        {
            await Task.Delay(rule.LatencyMs!.Value, http.RequestAborted);
        }

        if (rules.Any(r => r.Hang))
        {
            // Hung: the client's own timeout is what ends this; ten minutes is the sandbox's bound.
            await Task.Delay(LongestHang, http.RequestAborted);
            return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
        }

        var failing = rules.FirstOrDefault(r => r.ErrorStatus is not null && Random.Shared.NextDouble() < (r.ErrorRate ?? 1));
        if (failing is null)
        {
            var answer = await next(context);
            foreach (var rule in rules.Where(r => r.AnswerDelayMs is > 0))
            {
                await Task.Delay(rule.AnswerDelayMs!.Value, http.RequestAborted);
            }

            // Only a success is spoiled: the call took effect (an email sent, its idempotency key answered), and what
            // the caller reads of it is not the API's answer.
            if (rules.FirstOrDefault(r => r.MalformedAnswer) is { } malformed && Succeeded(answer))
            {
                faults.CountApplied(malformed.Id);
                return Results.Content(MalformedPage, "text/html", statusCode: StatusCodes.Status200OK);
            }

            if (AlteredAnswers.Of(rules, answer, Succeeded(answer), faults) is { } altered)
            {
                return altered;
            }

            if (rules.FirstOrDefault(r => r.StallBody) is { } stall && Succeeded(answer))
            {
                faults.CountApplied(stall.Id);
                await StallAsync(http);
                return Results.Empty;
            }

            return answer;
        }

        faults.CountApplied(failing.Id);
        var status = failing.ErrorStatus!.Value;
        if (status is 429 or 503)
        {
            http.Response.Headers.RetryAfter = failing.RetryAfter ?? (failing.RetryAfterSeconds ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var error = operation.Api switch
        {
            SandboxApi.AgentMail => AgentMailError.ForStatus(status, code: failing.ErrorCode),
            SandboxApi.Resend => ResendError.ForStatus(status, failing.ErrorName),
            SandboxApi.OpenAi => OpenAiError.ForStatus(status),
            _ => ClerkError.ForStatus(status),
        };
        return AlteredAnswers.Of(rules, error, succeeded: false, faults) ?? error;
    }

    // The headers and one byte leave, then nothing: the client's own timeout is what ends this; ten minutes is the
    // sandbox's bound, as for a hang.
    private static async Task StallAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        await http.Response.StartAsync(http.RequestAborted);
        await http.Response.Body.WriteAsync("{"u8.ToArray(), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
        try
        {
            await Task.Delay(LongestHang, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client gave up, as it should.
        }
    }

    // An answer without a status of its own (Results.Json) is a 200.
    private static bool Succeeded(object? answer) =>
        answer is not IStatusCodeHttpResult { StatusCode: { } status } || status is >= 200 and < 300;
}

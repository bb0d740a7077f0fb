using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;

namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>
/// An OpenAI-compatible <c>POST /openai/v1/chat/completions</c> (deterministic answers, every request recorded) and its
/// control, <c>GET /sandbox/chat-completions/requests</c>. Faults target api <c>openai</c>, operation <c>chat.completions</c>.
/// </summary>
public static class ChatCompletionEndpoints
{
    /// <summary>Registers the request log.</summary>
    public static IServiceCollection AddChatCompletions(this IServiceCollection services)
    {
        services.AddSingleton<ChatCompletionLog>();
        services.AddSingleton<ISandboxState>(sp => sp.GetRequiredService<ChatCompletionLog>());
        return services;
    }

    /// <summary>Maps the API on <paramref name="openAi"/> (<c>/openai/v1</c>).</summary>
    public static RouteGroupBuilder MapChatCompletions(this RouteGroupBuilder openAi)
    {
        ArgumentNullException.ThrowIfNull(openAi);
        openAi.MapPost("/chat/completions", (ChatCompletionRequest? body, ChatCompletionLog log, FaultRegistry faults, TimeProvider time) =>
        {
            if (string.IsNullOrWhiteSpace(body?.Model))
            {
                return OpenAiError.Of(400, "invalid_request_error", "missing_required_parameter", "you must provide a model parameter");
            }

            if (body.Messages is not { Count: > 0 } messages || messages.Any(m => string.IsNullOrEmpty(m.Role) || m.Content is null))
            {
                return OpenAiError.Of(400, "invalid_request_error", "invalid_value", "messages must be a non-empty array of {role, content}.");
            }

            var id = Ids.New("chatcmpl-", 24);
            var now = time.GetUtcNow();
            log.Add(new RecordedChatRequest(id, body.Model, messages, now, body.MaxTokens));
            var (content, cut) = SandboxModel.Bounded(Scripted(faults) ?? SandboxModel.Answer(messages), body.MaxTokens);
            var promptTokens = messages.Sum(m => SandboxModel.Tokens(m.Content));
            var completionTokens = SandboxModel.Tokens(content);
            return Results.Json(new
            {
                id,
                @object = "chat.completion",
                created = now.ToUnixTimeSeconds(),
                model = body.Model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = cut ? "length" : "stop" } },
                usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
            });
        }).Operation(SandboxApi.OpenAi, "chat.completions");
        return openAi;
    }

    // The answer an answer_content fault scripts, counted as applied; null when none does.
    private static string? Scripted(FaultRegistry faults)
    {
        if (faults.Take(SandboxApi.OpenAi, "chat.completions", r => r.AnswerContent is not null) is not [var rule, ..])
        {
            return null;
        }

        faults.CountApplied(rule.Id);
        return rule.AnswerContent;
    }

    /// <summary>Maps the control on <paramref name="sandbox"/> (<c>/sandbox/chat-completions</c>).</summary>
    public static RouteGroupBuilder MapChatCompletionControls(this RouteGroupBuilder sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        sandbox.MapGet("/requests", (ChatCompletionLog log) => Results.Json(new { requests = log.All() }, SandboxJson.Options));
        return sandbox;
    }
}

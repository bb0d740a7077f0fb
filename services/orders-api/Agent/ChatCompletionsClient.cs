using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// One call to an OpenAI-compatible <c>/v1/chat/completions</c>, bounded by the HttpClient's timeout and never retried
/// here: a failed call is answered by the rule-based composer, which is as good an answer as a retry would wait for.
/// </summary>
public sealed class ChatCompletionsClient(HttpClient http, IOptions<ChatCompletionsOptions> options)
{
    /// <summary>
    /// The assistant's answer to <paramref name="messages"/>, at most <see cref="ChatCompletionsOptions.MaxTokens"/> long;
    /// throws on failure (<see cref="HttpRequestException"/>, a timeout, an answer it cannot read).
    /// </summary>
    public async Task<ModelAnswer> CompleteAsync(IReadOnlyList<PromptMessage> messages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = JsonContent.Create(new CompletionRequest(settings.Model, messages, settings.MaxTokens)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var completion = await response.Content.ReadFromJsonAsync<CompletionResponse>(cancellationToken);
        if (completion?.Choices is not [{ Message.Content: { } text } choice, ..])
        {
            throw new HttpRequestException("The model answered without any content.");
        }

        // A NUL means nothing in a reply, and PostgreSQL's text cannot hold one: kept, the reply's file would be written
        // and sent while its row in the conversation failed on every retry, the reply recorded as never written.
        var content = text.Replace("\0", "", StringComparison.Ordinal).Trim();
        return content.Length > 0
            ? new ModelAnswer(content, choice.FinishReason == "length")
            : throw new HttpRequestException("The model answered without any content.");
    }

    private sealed record CompletionRequest(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("messages")] IReadOnlyList<PromptMessage> Messages,
        [property: JsonPropertyName("max_tokens")] int MaxTokens);

    private sealed record CompletionResponse([property: JsonPropertyName("choices")] IReadOnlyList<Choice>? Choices);

    private sealed record Choice(
        [property: JsonPropertyName("message")] ChoiceMessage? Message,
        [property: JsonPropertyName("finish_reason")] string? FinishReason);

    private sealed record ChoiceMessage([property: JsonPropertyName("content")] string? Content);
}

/// <summary>What the model wrote.</summary>
/// <param name="Text">Its text, trimmed, never empty.</param>
/// <param name="Cut">True when the model stopped at <c>max_tokens</c> (<c>finish_reason: length</c>), mid-reply.</param>
public sealed record ModelAnswer(string Text, bool Cut);

/// <summary>One message of a chat completion prompt.</summary>
/// <param name="Role"><c>system</c> or <c>user</c>.</param>
/// <param name="Content">Its text.</param>
public sealed record PromptMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

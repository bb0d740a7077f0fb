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
    /// <summary>The assistant's text for <paramref name="messages"/>; throws on failure (<see cref="HttpRequestException"/>, a timeout, an answer it cannot read).</summary>
    public async Task<string> CompleteAsync(IReadOnlyList<PromptMessage> messages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = JsonContent.Create(new CompletionRequest(settings.Model, messages)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var completion = await response.Content.ReadFromJsonAsync<CompletionResponse>(cancellationToken);
        // A NUL means nothing in a reply, and PostgreSQL's text cannot hold one: kept, the reply's file would be written
        // and sent while its row in the conversation failed on every retry, the reply recorded as never written.
        var content = completion?.Choices is [{ Message.Content: { } text }, ..] ? text.Replace("\0", "", StringComparison.Ordinal).Trim() : "";
        return content.Length > 0 ? content : throw new HttpRequestException("The model answered without any content.");
    }

    private sealed record CompletionRequest(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("messages")] IReadOnlyList<PromptMessage> Messages);

    private sealed record CompletionResponse([property: JsonPropertyName("choices")] IReadOnlyList<Choice>? Choices);

    private sealed record Choice([property: JsonPropertyName("message")] ChoiceMessage? Message);

    private sealed record ChoiceMessage([property: JsonPropertyName("content")] string? Content);
}

/// <summary>One message of a chat completion prompt.</summary>
/// <param name="Role"><c>system</c> or <c>user</c>.</param>
/// <param name="Content">Its text.</param>
public sealed record PromptMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

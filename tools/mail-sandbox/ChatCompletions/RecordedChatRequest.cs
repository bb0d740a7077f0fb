namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>A chat completion request the sandbox answered, as the control API lists it.</summary>
/// <param name="Id">The completion's id (<c>chatcmpl-...</c>).</param>
/// <param name="Model">The model asked for.</param>
/// <param name="Messages">The messages sent, exactly as received.</param>
/// <param name="ReceivedAt">When the sandbox received it.</param>
/// <param name="MaxTokens">The request's <c>max_tokens</c>, if any.</param>
public sealed record RecordedChatRequest(string Id, string Model, IReadOnlyList<ChatMessage> Messages, DateTimeOffset ReceivedAt, int? MaxTokens);

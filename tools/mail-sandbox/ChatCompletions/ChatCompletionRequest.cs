namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>The part of OpenAI's <c>POST /v1/chat/completions</c> body the sandbox reads; other fields are accepted and ignored.</summary>
/// <param name="Model">The model asked for.</param>
/// <param name="Messages">The conversation so far, oldest first.</param>
/// <param name="MaxTokens">The most tokens (here, words) the answer may have; none when absent.</param>
public sealed record ChatCompletionRequest(string? Model, IReadOnlyList<ChatMessage>? Messages, int? MaxTokens);

/// <summary>One message of a chat completion request or answer.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">Its text.</param>
public sealed record ChatMessage(string? Role, string? Content);

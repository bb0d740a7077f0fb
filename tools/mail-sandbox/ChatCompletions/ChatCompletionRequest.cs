namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>The part of OpenAI's <c>POST /v1/chat/completions</c> body the sandbox reads; other fields are accepted and ignored.</summary>
/// <param name="Model">The model asked for.</param>
/// <param name="Messages">The conversation so far, oldest first.</param>
public sealed record ChatCompletionRequest(string? Model, IReadOnlyList<ChatMessage>? Messages);

/// <summary>One message of a chat completion request or answer.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">Its text.</param>
public sealed record ChatMessage(string? Role, string? Content);

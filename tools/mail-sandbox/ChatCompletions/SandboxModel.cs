using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>
/// The sandbox's "model": a fixed answer stamped with a digest of the last user message, so the same prompt always
/// gets the same answer and a spec can tell a model-written reply from anything else. It never echoes the prompt,
/// so an answer cannot carry data the prompt held.
/// </summary>
public static class SandboxModel
{
    /// <summary>What every answer starts with.</summary>
    public const string Marker = "[sandbox model]";

    /// <summary>The answer to <paramref name="messages"/>.</summary>
    public static string Answer(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var lastUser = messages.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lastUser)))[..12];
        return $"{Marker} Thank you for your message; this answer was written for prompt {digest}.";
    }

    /// <summary>
    /// <paramref name="content"/> as a model bounded by <paramref name="maxTokens"/> writes it: its first that many
    /// tokens (words) and cut (<c>finish_reason: length</c>) when longer, whole otherwise.
    /// </summary>
    public static (string Content, bool Cut) Bounded(string content, int? maxTokens)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (maxTokens is not { } bound || Tokens(content) <= bound)
        {
            return (content, false);
        }

        return (string.Join(' ', content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(Math.Max(bound, 0))), true);
    }

    /// <summary>A rough token count (words), for the <c>usage</c> block.</summary>
    public static int Tokens(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}

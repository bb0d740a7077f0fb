namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>RFC 5322 Message-IDs, which AgentMail uses as <c>message_id</c> angle brackets included.</summary>
public static class MessageIds
{
    /// <summary>A new Message-ID on <paramref name="domain"/>, e.g. <c>&lt;6f1d…@agentmail.to&gt;</c>.</summary>
    public static string New(string domain) => $"<{Guid.NewGuid()}@{domain}>";

    /// <summary>
    /// The id with its angle brackets, so <c>a@b</c> and <c>&lt;a@b&gt;</c> name the same message; null when blank.
    /// </summary>
    public static string? Normalize(string? id)
    {
        var trimmed = id?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.StartsWith('<') && trimmed.EndsWith('>') ? trimmed : $"<{trimmed.Trim('<', '>')}>";
    }

    /// <summary>The ids of a <c>References</c> header: whitespace-separated, each normalized.</summary>
    public static IReadOnlyList<string> Split(string? header) =>
        [.. (header ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(id => Normalize(id)!)];
}

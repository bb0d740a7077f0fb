using System.Text;
using System.Text.RegularExpressions;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>The fields AgentMail derives from a message's content: <c>preview</c>, <c>extracted_text</c> and <c>size</c>.</summary>
public static partial class MessageContent
{
    /// <summary>How many characters of text a preview keeps.</summary>
    public const int PreviewLength = 100;

    /// <summary>The first characters of the text on one line; null for HTML-only mail, as AgentMail leaves it out then.</summary>
    public static string? Preview(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length > PreviewLength ? line[..PreviewLength] : line;
    }

    /// <summary>
    /// The new text of a reply without the quoted history (AgentMail uses Talon; this cuts at the first
    /// <c>On … wrote:</c>, <c>-----Original Message-----</c> or <c>&gt;</c>-quoted line, which covers common clients).
    /// </summary>
    public static string? ExtractedText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var kept = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('>') || QuoteHeader().IsMatch(trimmed) || trimmed.StartsWith("-----Original Message-----", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            kept.Append(line).Append('\n');
        }

        var extracted = kept.ToString().Trim();
        return extracted.Length == 0 ? null : extracted;
    }

    /// <summary>The message's size in bytes, as the RFC 822 form it would travel in (headers, then the bodies).</summary>
    public static long Size(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rendered = new StringBuilder()
            .Append("From: ").Append(message.From).Append("\r\n")
            .Append("To: ").AppendJoin(", ", message.To).Append("\r\n")
            .Append("Subject: ").Append(message.Subject).Append("\r\n")
            .Append("Message-ID: ").Append(message.MessageId).Append("\r\n");
        if (message.Cc is { Count: > 0 } cc)
        {
            rendered.Append("Cc: ").AppendJoin(", ", cc).Append("\r\n");
        }

        if (message.InReplyTo is not null)
        {
            rendered.Append("In-Reply-To: ").Append(message.InReplyTo).Append("\r\n");
        }

        if (message.References is { Count: > 0 } references)
        {
            rendered.Append("References: ").AppendJoin(' ', references).Append("\r\n");
        }

        foreach (var (name, value) in message.Headers ?? new Dictionary<string, string>())
        {
            rendered.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        rendered.Append("\r\n").Append(message.Text).Append("\r\n").Append(message.Html);
        return Encoding.UTF8.GetByteCount(rendered.ToString());
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^On .+wrote:$", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteHeader();
}

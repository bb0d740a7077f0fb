using System.Text;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>The one-line excerpt a conversation list shows for a message, so a listing never carries whole bodies.</summary>
public static class MessagePreview
{
    /// <summary>The longest preview, in UTF-16 code units.</summary>
    public const int MaxLength = 140;

    /// <summary>
    /// The start of <paramref name="text"/> with every run of whitespace (line breaks included) collapsed to one space,
    /// trimmed, and cut at <see cref="MaxLength"/> without splitting a surrogate pair.
    /// </summary>
    public static string Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var preview = new StringBuilder(MaxLength);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = preview.Length > 0;
                continue;
            }

            var needed = pendingSpace ? 2 : 1;
            if (preview.Length + needed > MaxLength)
            {
                break;
            }

            if (pendingSpace)
            {
                preview.Append(' ');
                pendingSpace = false;
            }

            preview.Append(c);
        }

        if (preview.Length > 0 && char.IsHighSurrogate(preview[^1]))
        {
            preview.Length--;
        }

        return preview.ToString().TrimEnd();
    }
}

using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// What a reply says above the history it quotes, found locally when AgentMail found no new words in it
/// (<c>extracted_text</c> empty: a reply that is only its quote, such as a photo sent in answer). The whole text read
/// instead held the agent's own earlier answer, whose "such as cancelling the order" made a photo a cancellation.
/// </summary>
/// <remarks>
/// The history starts at the first line a mail client puts above it: a quoted line ("&gt; ..."), an attribution
/// ("On ... wrote:", "Le ... a écrit :", "Am ... schrieb ...:", and Spanish, Italian, Dutch and Portuguese alike, which
/// Gmail may wrap onto a second line), Outlook's "-----Original Message-----" or its header block ("From:" followed by
/// "Sent:", "To:", "Subject:" or "Date:", with the rule of underscores above it), or a forward's "---------- Forwarded message". A customer's own line seldom
/// looks like one, and one that does costs what it says after it; the history read as theirs cost a wrong request.
/// </remarks>
public static partial class QuotedHistory
{
    /// <summary>The part of <paramref name="text"/> above its quoted history: all of it when it quotes none.</summary>
    public static string Cut(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Start().Match(text) is { Success: true } start ? text[..start.Index] : text;
    }

    [GeneratedRegex(
        @"^[ \t]*>"
        + @"|^[ \t]*(?:On|Le|Am|El|Il|Op|Em)\b[^\n]{0,300}(?:\n[^\n]{0,300})?\b(?:wrote|a\s+écrit|schrieb|escribió|ha\s+scritto|schreef|escreveu)\b[^\n]{0,300}:[ \t\r]*$"
        + @"|^[ \t]*-{2,}[ \t]*Original Message[ \t]*-{2,}"
        + @"|^[ \t]*(?:_{20,}[ \t\r]*\n[ \t]*)?From:[^\n]*\n[ \t]*(?:Sent|To|Subject|Date):"
        + @"|^[ \t]*-{2,}[ \t]*Forwarded message",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex Start();
}

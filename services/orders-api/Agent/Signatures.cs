using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// A message without what the customer did not write to us now: their signature and their phone's line. A signature's
/// job title ("Legal Counsel") made any message a problem, and "Enviado desde mi iPhone" made a Spanish one a question
/// where the order is ("enviado", sent); "Sent from my iPhone" made a German one English, so nobody read it.
/// </summary>
/// <remarks>
/// The signature starts at RFC 3676's separator, "-- " alone on a line (§4.3; "--" too, as clients that trim trailing
/// spaces send it), and runs to the end. The phone's line is the last line when it is one a mail client adds: "Sent from
/// my ...", "Sent from Yahoo Mail ...", "Get Outlook for ...", "Enviado desde mi ...", "Enviado do meu ...", "Verzonden
/// vanaf/met mijn ...", "Von meinem ... gesendet", "Gesendet von meinem ...", "Envoyé de mon ...", "Inviato da ...".
/// A signature without the separator stays: nothing tells it from the message.
/// </remarks>
public static partial class Signatures
{
    /// <summary><paramref name="text"/> without its signature and, then, without a last line a mail client added.</summary>
    public static string Cut(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unsigned = Separator().Match(text) is { Success: true } separator ? text[..separator.Index] : text;
        return ClientLine().Replace(unsigned, "");
    }

    [GeneratedRegex(@"^--[ ]?\r?$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    // The last non-blank line, when a mail client wrote it; \z and not $, so it is the last line, not any line.
    [GeneratedRegex(
        @"^[ \t]*(?:Sent from (?:my|Yahoo Mail|Outlook|Mail for)\b|Get Outlook for\b|Enviado (?:desde mi|do meu|de meu|a partir do meu)\b|Verzonden (?:vanaf|met) mijn\b|Von meinem\b[^\n]{0,60}\bgesendet\b|Gesendet (?:von|mit) meinem\b|Envoyé (?:de|depuis) mon\b|Inviato da\b)[^\n]{0,80}\s*\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex ClientLine();
}

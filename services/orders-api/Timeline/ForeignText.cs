using System.Text;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// Text a customer or sender wrote (a From, a subject, a recipient) set inside a sentence of ours. Arabic or Hebrew, or
/// a U+202E RIGHT-TO-LEFT OVERRIDE left open, reorders whatever follows it on the line: "Message received from ... (not
/// the order's address)" read backwards and the warning jumped to the other side.
/// </summary>
internal static class ForeignText
{
    private const char FirstStrongIsolate = '\u2068';
    private const char PopDirectionalIsolate = '\u2069';

    /// <summary>
    /// <paramref name="text"/> between FSI and PDI, the Unicode Bidirectional Algorithm's (UAX #9) isolates for plain
    /// text: it takes its direction from its own first letter and neither moves our words nor is moved by them, and our
    /// PDI ends any embedding or override it left open.
    /// </summary>
    public static string Isolate(string text)
    {
        var isolated = new StringBuilder(text.Length + 2).Append(FirstStrongIsolate);
        var open = 0;
        foreach (var c in text)
        {
            if (c is '\u2066' or '\u2067' or FirstStrongIsolate)
            {
                open++;
            }
            else if (c == PopDirectionalIsolate)
            {
                // A PDI closing none of the text's own isolates would close ours, and what follows it would escape.
                if (open == 0)
                {
                    continue;
                }

                open--;
            }

            isolated.Append(c);
        }

        // An isolate of the text's own left open would take our PDI, and ours would run on over our words.
        return isolated.Append(PopDirectionalIsolate, open + 1).ToString();
    }
}

using System.Text;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// What a label may be. Labels are the user's own tags on a message (the read state and archiving have fields of
/// their own), compared exactly as written: <c>Urgent</c> and <c>urgent</c> are two labels.
/// </summary>
public static class LabelRules
{
    /// <summary>The longest label, in characters (Unicode scalar values, as PostgreSQL's <c>char_length</c> counts them).</summary>
    public const int MaxLength = 64;

    /// <summary>The most labels one message carries.</summary>
    public const int MaxPerMessage = 20;

    /// <summary>The rule about a label's length, as a client is told it.</summary>
    public static readonly string LengthRule = $"A label is 1 to {MaxLength} characters long.";

    /// <summary>The rule about blank labels, as a client is told it.</summary>
    public const string BlankRule = "A label cannot be only whitespace.";

    /// <summary>The rule about how many labels a message has, as a client is told it, with the count the change would leave.</summary>
    public static string CountRule(int wouldHave) =>
        $"A message has at most {MaxPerMessage} labels; this change would leave it with {wouldHave}.";

    /// <summary>The rule <paramref name="label"/> breaks, or null when it is a valid label.</summary>
    public static string? Problem(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var length = CharacterCount(label);
        if (length is 0 or > MaxLength)
        {
            return LengthRule;
        }

        return string.IsNullOrWhiteSpace(label) ? BlankRule : null;
    }

    private static int CharacterCount(string label)
    {
        var count = 0;
        foreach (var _ in label.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}

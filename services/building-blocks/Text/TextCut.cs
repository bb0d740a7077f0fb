namespace OrdersMail.BuildingBlocks.Text;

/// <summary>
/// The start of a text cut to a length in UTF-16 code units. A plain <c>text[..length]</c> can end between the halves of
/// a surrogate pair (an emoji, a CJK extension character), and the lone half left is not text: the bus's UTF-8 writes it
/// as U+FFFD (the "�" a person then reads on the order) and a strict encoder refuses it outright.
/// </summary>
public static class TextCut
{
    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="length"/> code units, else its first
    /// <paramref name="length"/> (one fewer when the last would be the first half of a pair).
    /// </summary>
    public static ReadOnlySpan<char> Start(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (text.Length <= length)
        {
            return text;
        }

        return length > 0 && char.IsHighSurrogate(text[length - 1]) ? text.AsSpan(0, length - 1) : text.AsSpan(0, length);
    }

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="length"/> code units, else its <see cref="Start"/>
    /// at that length followed by <paramref name="marker"/>, so a reader knows they read only the beginning.
    /// </summary>
    public static string Marked(string text, int length, string marker)
    {
        ArgumentNullException.ThrowIfNull(marker);
        return text.Length <= length ? text : string.Concat(Start(text, length), marker);
    }
}

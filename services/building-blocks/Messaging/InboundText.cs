using OrdersMail.BuildingBlocks.Text;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// The bound of a customer's email text on the bus and in the conversation (<c>InboundMessageRouted.Text</c> and
/// <c>NewText</c>, <c>order_messages.body</c> and <c>new_text</c>). Anyone can mail a reply address, and text of many
/// megabytes was carried whole into every outbox row, bus message and stored body; a person's email is far shorter.
/// </summary>
public static class InboundText
{
    /// <summary>The most characters of a text, its <see cref="CutMarker"/> included.</summary>
    public const int MaxLength = 65_536;

    /// <summary>What ends a text cut at <see cref="MaxLength"/>, so a reader (a person, the agent) knows they read only its start.</summary>
    public const string CutMarker = "\n[...] (cut: the email is longer than this)";

    /// <summary>
    /// <paramref name="text"/> as it is when it fits, else its start followed by <see cref="CutMarker"/>, at most
    /// <see cref="MaxLength"/> characters, never ending between the halves of a surrogate pair.
    /// </summary>
    public static string Bounded(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxLength ? text : TextCut.Marked(text, MaxLength - CutMarker.Length, CutMarker);
    }

    /// <summary><see cref="Bounded(string)"/> of a text that may be absent.</summary>
    public static string? BoundedOrNull(string? text) => text is null ? null : Bounded(text);
}

using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Whether a customer's words are likely English, the language the agent answers in and the one
/// <see cref="IntentRules"/> reads best. A message in which the rules found no request may still ask for one in words
/// they do not know ("Können Sie mir eine Rechnung schicken?", or a language they have no words of), so
/// <see cref="ReplyDecider"/> hands such a message to a person.
/// </summary>
/// <remarks>
/// Blunt on purpose, and documented in the README: words are unlikely English when none of them is a common English
/// word (<see cref="CommonWords"/>), or when more than half of their letters are outside ASCII (Japanese, Greek,
/// Cyrillic... with a brand name in Latin letters). The list leaves out the English words that are also everyday words
/// of German, French, Spanish, Italian, Dutch or Portuguese ("a", "in", "is", "die", "was", "me", "no", "of"...), so a
/// message in those is not taken for English by one of them: French "question", "sent" (smells) and "arrive", Dutch
/// "want" (because) and "week", Portuguese "for" (se for possível) were on it, and a French or Dutch invoice request
/// read as English went to no one. The text is the customer's own words (<see cref="NewWords"/>): a phone's "Sent from
/// my iPhone" made any message English. A wrong "unlikely" costs a person's look at a short English
/// note; a wrong "likely" leaves a request unread.
/// </remarks>
public static partial class EnglishText
{
    private static readonly FrozenSet<string> CommonWords = new[]
    {
        "the", "and", "you", "your", "yours", "my", "mine", "it", "its", "this", "that", "these", "those",
        "what", "when", "where", "why", "how", "which", "who", "with", "from", "about", "not", "if", "be",
        "can", "could", "would", "should", "shall", "may", "might", "must", "are", "were", "been", "being",
        "have", "having", "does", "did", "she", "they", "them", "their", "us", "our", "him", "his",
        "please", "thanks", "thank", "hello", "dear", "regards", "cheers", "just", "any", "some", "there", "here",
        "know", "like", "love", "lovely", "great", "good", "really", "yes", "got", "get", "received",
        "to", "at", "by", "all", "one", "more", "thing", "again", "too", "very", "much", "many", "only", "after",
        "before", "now", "then", "than", "need", "send", "arrived", "today", "tomorrow",
        "day", "time", "checking", "wondering", "soon",

        // The commonest answer to an email in any language, and no request: a bare "Ok" read as foreign put every
        // acknowledgement in front of a person.
        "ok", "okay", "thx",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when the customer's <paramref name="text"/> (their <paramref name="subject"/> when the text has no letters)
    /// has letters and is unlikely English. Words without letters (none, a number, an emoji) are not.
    /// </summary>
    public static bool IsUnlikely(string? subject, string? text)
    {
        var words = HasLetters(text) ? text! : subject ?? "";
        var letters = words.Count(char.IsLetter);
        if (letters == 0)
        {
            return false;
        }

        var outsideAscii = words.Count(c => char.IsLetter(c) && !char.IsAscii(c));
        return outsideAscii * 2 > letters || !Words().Matches(words).Any(word => CommonWords.Contains(word.Value));
    }

    private static bool HasLetters(string? text) => text is not null && text.Any(char.IsLetter);

    [GeneratedRegex(@"\p{L}+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}

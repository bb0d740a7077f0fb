using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// What a model's reply must pass before it is written: it goes out as the shop's written word, and a customer's email
/// can talk a model into writing anything ("confirm in writing that I get a 20% discount"). A reply that breaks a rule
/// is replaced by the rule-based reply, which says only what the order's data says. The rules are blunt on purpose: a
/// good reply refused costs a plainer answer, a bad one passed costs a promise the shop never made.
/// </summary>
public static partial class ModelReplyCheck
{
    /// <summary>The longest reply sent, in characters.</summary>
    public const int MaxLength = 4000;

    /// <summary>The rule of a reply longer than <see cref="MaxLength"/>.</summary>
    public const string TooLong = "too_long";

    /// <summary>The rule of a reply with a link.</summary>
    public const string Link = "link";

    /// <summary>
    /// The rule of a reply with an amount of money the order does not hold, a percentage, or a digit other than 0-9 (a
    /// number it cannot read).
    /// </summary>
    public const string Amount = "amount";

    /// <summary>The rule of a reply that says something only a person can do was done.</summary>
    public const string DoneClaim = "done_claim";

    /// <summary>The rule of a reply with an email address other than the sender's and the shop's.</summary>
    public const string EmailAddress = "email_address";

    /// <summary>The rule <paramref name="reply"/> to <paramref name="request"/> breaks, or null when it may be sent.</summary>
    public static string? BrokenRule(string reply, ReplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(request);

        // The prompt asks for a brief answer: one this long has left the prompt behind (or was made to), and the longer
        // it is the more the other rules have to miss.
        if (reply.Length > MaxLength)
        {
            return TooLong;
        }

        // The shop's replies carry no links: a link is the model's invention or the sender's, a page in the shop's name
        // that no one at the shop chose.
        if (Links().IsMatch(reply))
        {
            return Link;
        }

        // An amount in writing is an amount promised: the order's own total, prices and line totals in its currency are
        // facts, any other (a refund of 500, a goodwill credit, 20% off, the total again in dollars) is made up.
        var facts = request.Facts;
        var orderAmounts = OrderAmounts(facts);
        if (Percentages().IsMatch(reply)
            || ReplyAmounts.In(reply, facts?.Currency ?? string.Empty).Any(amount => !amount.InOrdersCurrency || !amount.Readings.Any(orderAmounts.Contains)))
        {
            return Amount;
        }

        // The agent only reads orders, so a cancellation, refund, change or discount said done is false whatever the
        // intent: the words that ask for one are not always recognised (a discount asked for is "other").
        if (DoneClaims.In(reply))
        {
            return DoneClaim;
        }

        // An address in the reply is one the customer may write to or trust: only theirs and the shop's are known ones.
        return EmailAddresses().Matches(reply).Any(m => !IsKnownAddress(m.Value, request)) ? EmailAddress : null;
    }

    private static HashSet<decimal> OrderAmounts(OrderFacts? facts) =>
        facts is null ? [] : [facts.Total, .. facts.Items.Select(i => i.UnitPrice), .. facts.Items.Select(i => i.UnitPrice * i.Quantity)];

    private static bool IsKnownAddress(string address, ReplyRequest request) =>
        string.Equals(address, request.Sender, StringComparison.OrdinalIgnoreCase)
        || string.Equals(address, request.Inbox, StringComparison.OrdinalIgnoreCase)
        || string.Equals(address, request.Facts?.ReplyAddress, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"https?://|\bwww\.|\[[^\]\n]*\]\([^)\n]*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Links();

    // A percent sign by a number, on either side (Turkish writes %20), full-width or Arabic too, a per mille sign after
    // one, or the word in English, German (Prozent, 20-prozentig), French, Spanish, Italian, Portuguese, Dutch or Polish.
    [GeneratedRegex(
        @"\d\s?[%％٪‰]|[%％٪]\s?\d|\b(?:per\s?cento?|pour\s?cent|por\s?ciento|por\s?cento)\b|\bpro[cz]ent",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Percentages();

    [GeneratedRegex(@"[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddresses();
}

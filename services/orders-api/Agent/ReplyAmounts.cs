using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>An amount of money a reply names: what its number may mean, and whether the currency by it may be the order's.</summary>
/// <param name="Readings">The values the number may be (<see cref="ReplyAmounts"/> on 12.345).</param>
/// <param name="InOrdersCurrency">False when a code, sign or word by it names other currencies only.</param>
internal sealed record ReplyAmount(IReadOnlyList<decimal> Readings, bool InOrdersCurrency);

/// <summary>The amounts of money in a model's reply, read against the order's currency.</summary>
internal static partial class ReplyAmounts
{
    // What groups thousands besides a point or a comma: a space, the no-break and narrow no-break spaces French and
    // German typesetting put there (1 250,00 €), a thin space, and the Swiss apostrophe (1'250.00 CHF).
    private const string GroupMarks = " \u00A0\u2009\u202F'\u2019";

    private static readonly char[] Separators = ['.', ','];

    private static readonly char[] Groups = [.. GroupMarks];

    // A reply that has a digit other than 0-9 names a number the check cannot read: it stands for any amount.
    private static readonly ReplyAmount Unreadable = new([], InOrdersCurrency: false);

    /// <summary>
    /// Each amount in <paramref name="reply"/>: a number with two decimals (19.00), or one by a currency's code, sign or
    /// word (EUR 19, 19 eur, EUR19, €19, ₹19, 19 euros, 19 yen, 19 kr, 5000円), its thousands grouped by a point, a
    /// comma, a space or an apostrophe (1 250,00 is one number). The order's reference (ORD-234ABC) is no number, though
    /// its digits stand by three capitals. A reply with any decimal digit other than 0-9 (full-width ５, Arabic-Indic ٥)
    /// yields one amount that is no one's.
    /// </summary>
    public static IEnumerable<ReplyAmount> In(string reply, string currency)
    {
        if (reply.EnumerateRunes().Any(rune => Rune.IsDigit(rune) && rune.Value is < '0' or > '9'))
        {
            yield return Unreadable;
            yield break;
        }

        var text = References().Replace(reply, " ");
        // "EUR500" is EUR 500: a number starts no word, so the code glued to it would hide it.
        text = GluedNames().Replace(text, name => CurrencyNames.OfWord(name.Value) is null ? name.Value : name.Value + " ");
        foreach (Match number in Numbers().Matches(text))
        {
            var named = NamedCurrencies(CurrencyBefore().Match(text[..number.Index]))
                .Concat(NamedCurrencies(CurrencyAfter().Match(text[(number.Index + number.Length)..])))
                .ToList();
            if (named.Count > 0 || TwoDecimals().IsMatch(number.Value))
            {
                yield return new ReplyAmount(ReadingsOf(number.Value, currency), named.TrueForAll(currencies => currencies.Contains(currency)));
            }
        }
    }

    private static IEnumerable<IReadOnlyCollection<string>> NamedCurrencies(Match name)
    {
        if (name.Groups["sign"].Success)
        {
            yield return CurrencyNames.OfSign(name.Groups["sign"].Value);
        }
        else if (name.Groups["word"].Success && CurrencyNames.OfWord(name.Groups["word"].Value) is { } currencies)
        {
            yield return currencies;
        }
    }

    // What a number may mean as money. 1,234.56, 1.234,56 and 12.3450 alike: the separator before the last one, two or
    // four digits is the decimal point (orders hold up to four decimals), any other groups thousands. One before the last
    // three is either: 12.345 KWD has three decimals (KWD, BHD, OMR have them), 12,345 is twelve thousand, and a writer
    // that groups thousands with a point means that by 12.345 too. So a lone one yields both readings, and the amount is
    // the order's when either is; an earlier separator of the other kind (1,234.567) or of its own (1,234,567) says which.
    // Three decimals ending in 0 are read only in a currency of three, and after a point (12.500 KWD is 12.5, as the
    // order's facts write it): no one writes 9.50 EUR as 9,500, and reading it so would pass "a credit of 9,500 EUR" on
    // an order with a 9.50 mug, or "a refund of 12,500 KWD" on one of 12.5 KWD.
    private static IReadOnlyList<decimal> ReadingsOf(string number, string currency)
    {
        // One who groups thousands with a space or an apostrophe marks the decimals with the point or comma after them.
        if (number.IndexOfAny(Groups) >= 0)
        {
            var ungrouped = string.Concat(number.Where(c => !Groups.Contains(c)));
            var point = ungrouped.LastIndexOfAny(Separators);
            return [point < 0 ? ValueOf(ungrouped) : ValueOf($"{WithoutSeparators(ungrouped[..point])}.{ungrouped[(point + 1)..]}")];
        }

        var last = number.LastIndexOfAny(Separators);
        if (last < 0)
        {
            return [ValueOf(number)];
        }

        var before = number[..last];
        var whole = WithoutSeparators(before);
        var tail = number[(last + 1)..];
        var withDecimals = ValueOf($"{whole}.{tail}");
        var grouped = ValueOf(whole + tail);
        return tail.Length switch
        {
            <= 2 or 4 => [withDecimals],
            3 when before.Contains(number[last] == '.' ? ',' : '.', StringComparison.Ordinal) => [withDecimals],
            3 when before.Contains(number[last], StringComparison.Ordinal) => [grouped],
            3 when withDecimals == decimal.Round(withDecimals, 2) && (Iso4217Currencies.MinorDigits(currency) != 3 || number[last] == ',') => [grouped],
            3 => [withDecimals, grouped],
            _ => [grouped],
        };
    }

    private static string WithoutSeparators(string digits) =>
        digits.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);

    private static decimal ValueOf(string digits) =>
        decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : decimal.MinusOne;

    [GeneratedRegex(OrderReferences.Prefix + @"\w+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex References();

    [GeneratedRegex(@"\b\p{L}+(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex GluedNames();

    // A number starts after no letter, digit or separator (H2O, ORD-234ABC's rest), though a Chinese or Japanese word
    // runs into it (ご返金は5000円): those scripts put no space between words. Groups of three after a space or an
    // apostrophe belong to it only after one to three digits: 2024 250 is two numbers.
    [GeneratedRegex(@"(?<![\w.,-[\p{Lo}]])(?:\d{1,3}(?:[" + GroupMarks + @"]\d{3})+(?!\d)|\d+)(?:[.,]\d+)*(?![.,]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Numbers();

    [GeneratedRegex(@"[.,]\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex TwoDecimals();

    // A sign (US$ and R$ end in one), or a word with its abbreviation's point (Rs. 500), right before the number.
    [GeneratedRegex(@"(?:(?<sign>\p{Sc})|\b(?<word>\p{L}+)\.?)\s?$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyBefore();

    // A sign, one of the CJK names that follow the number as a sign does, with the next word glued on (5000円です),
    // or a word.
    [GeneratedRegex(@"^\s?(?:(?<sign>\p{Sc}|[" + CurrencyNames.GluedSigns + @"])|(?<word>\p{L}+)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyAfter();
}

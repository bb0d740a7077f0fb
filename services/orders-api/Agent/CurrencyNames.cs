using System.Collections.Frozen;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The currencies a reply may name an amount in, by code, sign or word: what <see cref="ModelReplyCheck"/> compares
/// with the order's currency. A name many currencies share (the dollar sign, "francs") names each of them.
/// </summary>
internal static class CurrencyNames
{
    private const string Dollars = "USD AUD BBD BMD BND BSD BZD CAD FJD GYD HKD JMD KYD LRD NAD NZD SBD SGD SRD TTD TWD XCD";
    private const string Pesos = "ARS CLP COP CUP DOP MXN PHP UYU";
    private const string Pounds = "GBP EGP FKP GIP LBP SDG SHP SSP SYP";
    private const string Rupees = "INR LKR MUR NPR PKR SCR";

    /// <summary>
    /// The Chinese, Japanese and Korean names of the yen, yuan and won, written after the number as a sign is and run
    /// into the next word (5000円を返金します): a reply reads them as signs.
    /// </summary>
    public const string GluedSigns = "円圓元圆원";

    // The codes that are everyday words too ("all 3 items", "top 5"): a code only in capitals.
    private static readonly FrozenSet<string> EverydayWords = Set("ALL BAM BOB CAD COP CUP GEL MAD MOP PEN RON RUB SOS TOP TRY");

    // Every currency sign (Unicode's Sc) that some currency orders are placed in writes; the dollar sign is also the
    // peso's, the real's (R$), the pa'anga's (T$) and the córdoba's (C$). A sign not here (₿) is no order's currency.
    // Then the GluedSigns: 圓 is the yen's old character and the yuan's, the Taiwan and Hong Kong dollar's formal one.
    private static readonly FrozenDictionary<string, FrozenSet<string>> Signs = Table(
        StringComparer.Ordinal,
        ("$ ＄", $"{Dollars} {Pesos} BRL CVE MOP NIO TOP WST"),
        ("¢ ￠", $"{Dollars} EUR"),
        ("€", "EUR"),
        ("£ ￡ ₤", Pounds),
        ("¥ ￥", "JPY CNY"),
        ("₹", "INR"),
        ("₨", Rupees),
        ("₩ ￦", "KRW KPW"),
        ("₽", "RUB"),
        ("₺", "TRY"),
        ("₪", "ILS"),
        ("₫", "VND"),
        ("฿", "THB"),
        ("₴", "UAH"),
        ("₦", "NGN"),
        ("₱", "PHP"),
        ("₡", "CRC SVC"),
        ("₲", "PYG"),
        ("₵", "GHS"),
        ("₸", "KZT"),
        ("₼", "AZN"),
        ("₾", "GEL"),
        ("₭", "LAK"),
        ("₮", "MNT"),
        ("៛", "KHR"),
        ("৳", "BDT"),
        ("֏", "AMD"),
        ("؋", "AFN"),
        ("﷼", "IRR OMR QAR SAR YER"),
        ("円", "JPY"),
        ("元 圆", "CNY HKD MOP TWD"),
        ("圓", "JPY CNY HKD MOP TWD"),
        ("원", "KRW KPW"));

    // The currencies' names and the abbreviations written in their place (Rs, kr, zł), in any case.
    private static readonly FrozenDictionary<string, FrozenSet<string>> Words = Table(
        StringComparer.OrdinalIgnoreCase,
        ("euro euros", "EUR"),
        ("cent cents", $"{Dollars} EUR"),
        ("dollar dollars buck bucks", Dollars),
        ("pound pounds quid pence penny", Pounds),
        ("yen", "JPY"),
        ("yuan renminbi rmb", "CNY"),
        ("won", "KRW KPW"),
        ("rupee rupees rs", Rupees),
        ("rupiah rp", "IDR"),
        ("kr krona kronor krone kroner króna krónur", "DKK ISK NOK SEK"),
        ("zł zloty zlotys złoty złote złotych", "PLN"),
        ("franc francs fr", "BIF CDF CHF DJF GNF KMF RWF XAF XOF XPF"),
        ("peso pesos", Pesos),
        ("real reais", "BRL"),
        ("rand", "ZAR"),
        ("lira lire", "TRY"),
        ("ruble rubles rouble roubles", "RUB BYN"),
        ("dinar dinars", "BHD DZD IQD JOD KWD LYD RSD TND"),
        ("denar denars", "MKD"),
        ("dirham dirhams", "AED MAD"),
        ("riyal riyals rial rials", "IRR OMR QAR SAR YER"),
        ("shekel shekels", "ILS"),
        ("baht", "THB"),
        ("forint forints", "HUF"),
        ("koruna korun kč", "CZK"),
        ("leu lei", "MDL RON"),
        ("lev leva", "BGN"),
        ("ringgit rm", "MYR"),
        ("dong", "VND"),
        ("naira", "NGN"),
        ("shilling shillings", "KES SOS TZS UGX"),
        ("hryvnia hryvnias", "UAH"),
        ("nis", "ILS"),
        ("ntd", "TWD"),
        ("ksh", "KES"),
        ("dhs", "AED"));

    /// <summary>
    /// The currencies <paramref name="sign"/> (one of Unicode's currency signs or <see cref="GluedSigns"/>) may be; none
    /// for one we take no order in.
    /// </summary>
    public static IReadOnlyCollection<string> OfSign(string sign) => Signs.GetValueOrDefault(sign, FrozenSet<string>.Empty);

    /// <summary>
    /// The currencies <paramref name="word"/> names: an ISO 4217 code orders are placed in, in any case (500 usd), or a
    /// name or abbreviation of one; null when it names none.
    /// </summary>
    public static IReadOnlyCollection<string>? OfWord(string word)
    {
        var code = word.ToUpperInvariant();
        if (word.Length == 3 && Iso4217Currencies.IsKnown(code) && (string.Equals(word, code, StringComparison.Ordinal) || !EverydayWords.Contains(code)))
        {
            return [code];
        }

        // Three capitals by a number are a currency's code however few orders use it (500 NIS, 500 BTC, KSH 2000): as a
        // code of none we take orders in it names no order's currency, as a sign of none does (₿).
        return Words.GetValueOrDefault(word) ?? (word.Length == 3 && word.All(char.IsAsciiLetterUpper) ? FrozenSet<string>.Empty : null);
    }

    private static FrozenSet<string> Set(string codes) =>
        codes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    private static FrozenDictionary<string, FrozenSet<string>> Table(StringComparer comparer, params (string Names, string Codes)[] rows) =>
        rows.SelectMany(row => row.Names.Split(' ').Select(name => KeyValuePair.Create(name, Set(row.Codes)))).ToFrozenDictionary(comparer);
}

using System.Collections.Frozen;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// The ISO 4217 codes an order may be placed in: the active currencies, without fund codes (BOV, CHE, USN...),
/// precious metals, SDRs or testing codes. A list of our own because the service runs with invariant
/// globalization, where <see cref="System.Globalization.RegionInfo"/> knows no currencies.
/// </summary>
public static class Iso4217Currencies
{
    private static readonly FrozenSet<string> Codes = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
        CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
        GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
        LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
        NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
        STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD
        XCG XOF XPF YER ZAR ZMW ZWG
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    // ISO 4217's minor unit of the codes above where it is not two: yen and won have no subunit in use, and the dinars
    // of the Gulf, Iraq, Jordan, Libya and Tunisia count fils or millimes in thousandths.
    private static readonly FrozenDictionary<string, int> MinorDigitsOtherThanTwo = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="code"/> is one of them, exactly as written (three upper-case letters).</summary>
    public static bool IsKnown(string code) => Codes.Contains(code);

    /// <summary>
    /// The decimals ISO 4217 gives <paramref name="code"/>'s minor unit: 0 for JPY, 3 for KWD, 2 for most, and for a
    /// code not known here.
    /// </summary>
    public static int MinorDigits(string code) => MinorDigitsOtherThanTwo.GetValueOrDefault(code, 2);
}

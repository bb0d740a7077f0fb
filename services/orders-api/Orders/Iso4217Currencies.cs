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

    /// <summary>Whether <paramref name="code"/> is one of them, exactly as written (three upper-case letters).</summary>
    public static bool IsKnown(string code) => Codes.Contains(code);
}

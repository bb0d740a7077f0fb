using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Recognises an email's <see cref="Intent"/> from its subject and text by keywords. Requests that need a person are
/// tried first: "cancel, it has not arrived" must reach someone who can cancel, not only get a tracking answer, and
/// "it arrived broken" someone who can replace it.
/// </summary>
public static partial class IntentRules
{
    /// <summary>The intent of an email with <paramref name="subject"/> and <paramref name="text"/>.</summary>
    public static Intent Classify(string? subject, string? text)
    {
        var said = $"{subject}\n{text}";
        if (Cancel().IsMatch(said))
        {
            return Intent.Cancel;
        }

        if (ReturnOrRefund().IsMatch(said))
        {
            return Intent.ReturnOrRefund;
        }

        if (ChangeAddress().IsMatch(said))
        {
            return Intent.ChangeAddress;
        }

        // Before where-is-my-order: "the mug arrived broken" and "it was delivered but one item is missing" say arrived
        // and delivered, and were answered that the order is being prepared.
        if (Problem().IsMatch(said))
        {
            return Intent.Problem;
        }

        return WhereIsMyOrder().IsMatch(said) ? Intent.WhereIsMyOrder : Intent.Other;
    }

    [GeneratedRegex(@"\bcancel(?:l?ed|l?ing|lation)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Cancel();

    [GeneratedRegex(@"\b(?:refunds?|refunded|return(?:s|ed|ing)?|send (?:it|them) back|money back|reimburse\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnOrRefund();

    [GeneratedRegex(@"\b(?:(?:change|update|correct|wrong|new)\b.{0,30}\baddress|address\b.{0,30}\b(?:change|wrong|update|moved)|moved house)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChangeAddress();

    // Damage, a missing or wrong item, a replacement, a double charge or chargeback, or legal words.
    [GeneratedRegex(
        @"\b(?:damaged?|broken|broke|cracked|smashed|shattered|defective|faulty|missing|wrong (?:item|size|colou?r|product|one|thing)s?|not what I ordered|replace(?:ment|d)?|charged (?:me )?(?:twice|two times|double|more than once)|double[- ]charged|charge ?back|dispute|my bank|lawyers?|solicitors?|attorneys?|legal|sue|court|fraud|scam)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Problem();

    [GeneratedRegex(@"\b(?:where(?:'s| is)|track(?:ing)?|arriv\w*|deliver\w*|ship(?:ped|ping)?|dispatch\w*|status|when will|has not come|hasn't come|not (?:yet )?received)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhereIsMyOrder();
}

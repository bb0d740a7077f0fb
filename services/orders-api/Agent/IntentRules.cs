using System.Text;
using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Recognises an email's <see cref="Intent"/> from its subject and text by keywords. Requests that need a person are
/// tried first: "cancel, it has not arrived" must reach someone who can cancel, not only get a tracking answer, and
/// "it arrived broken" someone who can replace it. A word is not a request, though: what only mentions cancelling or
/// returning (<see cref="NotARequest"/>) is set aside first, and a question where or when the order is wins over a
/// bare mention ("Where is it? I will cancel if it is late"), which must say what it asks ("please cancel it").
/// Each intent also reads its words in the other languages customers write (<see cref="OtherLanguageWords"/>), where a
/// word counts as asked.
/// </summary>
public static partial class IntentRules
{
    /// <summary>The intent of an email with <paramref name="subject"/> and <paramref name="text"/>.</summary>
    public static Intent Classify(string? subject, string? text)
    {
        // In NFC, so that an accent a mail client sent as a combining mark ("e\u0301") reads as the letter the rules name ("é").
        var said = NotARequest().Replace(StraightApostrophes($"{subject}\n{text}".Normalize(NormalizationForm.FormC)), " ");
        var asksWhere = WhereOrWhen().IsMatch(said);
        if (asksWhere ? CancelAsked().IsMatch(said) : Cancel().IsMatch(said))
        {
            return Intent.Cancel;
        }

        if (asksWhere ? ReturnOrRefundAsked().IsMatch(said) : ReturnOrRefund().IsMatch(said))
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

        return asksWhere || WhereIsMyOrder().IsMatch(said) ? Intent.WhereIsMyOrder : Intent.Other;
    }

    // Mail clients type the typographic apostrophe (iOS and macOS Mail, Outlook's AutoCorrect): "Where’s my order?" read
    // with the rules' straight one only was no question, and "Where’s my order? I’ll cancel if it is late" a cancellation.
    private static string StraightApostrophes(string said) => TypographicApostrophes().Replace(said, "'");

    [GeneratedRegex("[\u2018\u2019\u02BC\uFF07]")]
    private static partial Regex TypographicApostrophes();

    // Words that mention cancelling or returning without asking for it, each replaced by a space:
    // - a negation up to three words before "cancel", within the clause ("I do NOT want to cancel", "please don't
    //   cancel it"); "please", "so", "and", "but" and "then" start a request of their own ("it did not come so please cancel");
    // - "returned from", "returning home", "a returning customer": coming back, not sending back;
    // - "by return (e-)mail/post": at once, in a disclaimer's "please notify the sender by return email", which made
    //   every message with one a return.
    // "Has it been cancelled?" is not among them: it is a question about the order's state, which WhereOrWhen reads.
    [GeneratedRegex(
        @"(?:\b(?:not|never)|n't)\s+(?:(?!(?:please|so|and|but|then)\b)\w+\s+){0,3}cancel\w*|\breturn(?:ed|ing)\s+(?:from|home|customer|buyer|client|shopper)\b|\bby\s+return\s+(?:of\s+)?(?:e-?mail|mail|post)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotARequest();

    // A question where or when the order is, or whether it was cancelled: it wins over a bare mention of cancelling or returning.
    [GeneratedRegex(
        @"\b(?:where(?:'s| is| are)|when (?:will|does|do|is|can|should|would)|has it (?:shipped|arrived|been)|is it (?:on its way|coming)|(?:been|was|were|is) cancel+ed)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhereOrWhen();

    // Any mention of cancelling, when nothing asks where or when the order is.
    [GeneratedRegex(@"\bcancel(?:l?ed|l?ing|lation)?\b|" + OtherLanguageWords.Cancel, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Cancel();

    // Cancelling asked for: a request word earlier in the sentence ("please", "I want to", "can you"), or cancel with
    // what to cancel ("cancel my order", "cancel it"); in another language the word alone.
    [GeneratedRegex(
        @"\b(?:please|want|like|wish|need|can|could|would|how do|how can|may)\b[^.?!\n]{0,30}\bcancel|\bcancel(?:lation of)?\s+(?:my|the|this|that|it|our|order)\b|"
        + OtherLanguageWords.Cancel,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CancelAsked();

    // Any mention of a return or refund, when nothing asks where or when the order is.
    [GeneratedRegex(
        @"\b(?:refunds?|refunded|return(?:s|ed|ing)?|send (?:it|them) back|money back|reimburse\w*)\b|" + OtherLanguageWords.ReturnOrRefund,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnOrRefund();

    // A return or refund asked for: money back in any words ("where is my refund?" is about one), or a return as
    // CancelAsked, with a request word earlier in the sentence or what to return; in another language the word alone.
    [GeneratedRegex(
        @"\b(?:refunds?|refunded|send (?:it|them) back|money back|reimburse\w*)\b|\b(?:please|want|like|wish|need|can|could|would|how do|how can|may)\b[^.?!\n]{0,30}\breturn|\breturn\s+(?:my|the|this|that|it|them|our|order)\b|"
        + OtherLanguageWords.ReturnOrRefund,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnOrRefundAsked();

    [GeneratedRegex(
        @"\b(?:(?:change|update|correct|wrong|new)\b.{0,30}\baddress|address\b.{0,30}\b(?:change|wrong|update|moved)|moved house)|" + OtherLanguageWords.ChangeAddress,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChangeAddress();

    // Damage, a missing or wrong item, a replacement, a double charge or chargeback, or legal words.
    [GeneratedRegex(
        @"\b(?:damaged?|broken|broke|cracked|smashed|shattered|defective|faulty|missing|wrong (?:item|size|colou?r|product|one|thing)s?|not what I ordered|replace(?:ment|d)?|charged (?:me )?(?:twice|two times|double|more than once)|double[- ]charged|charge ?back|dispute|my bank|lawyers?|solicitors?|attorneys?|legal|sue|court|fraud|scam)\b|"
        + OtherLanguageWords.Problem,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Problem();

    // Where the order is: its state, its tracking, its delivery, or that it is not here yet.
    [GeneratedRegex(
        @"\b(?:where(?:'s| is)|track(?:ing)?|arriv\w*|deliver\w*|ship(?:ped|ping)?|dispatch\w*|status|when will|(?:has|is)(?: not|n't) (?:yet )?(?:come|here)|not (?:yet )?received)\b|"
        + OtherLanguageWords.WhereIsMyOrder,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhereIsMyOrder();
}

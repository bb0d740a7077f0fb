using System.Text.RegularExpressions;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Whether a model's reply says something only a person can do was done: a cancellation, refund, credit, change or
/// discount. The agent only reads orders, so any such claim is false; the check refuses the reply.
/// </summary>
internal static partial class DoneClaims
{
    /// <summary>
    /// Whether <paramref name="reply"/> claims one done, in English or in German, French, Spanish, Italian, Dutch or
    /// Portuguese: the prompt asks for English, but the model answers in the customer's language when it pleases.
    /// </summary>
    public static bool In(string reply) => English().IsMatch(reply) || OtherLanguages().IsMatch(reply);

    // A negated sentence ("nothing has been cancelled") passes; a reworded one may be refused, and the rule-based reply
    // says the same thing plainly.
    [GeneratedRegex(
        @"(?<!(?:\b(?:nothing|not|never|no)|n't)\s+(?:(?:has|have|had|is|are|was|were|been|yet)\s+)*)\b(?:has|have|had|is|are|was|were|been|now|already|i|we|i've|we've)\s+(?:(?:been|now|already|successfully|just|fully|also)\s+)*(?:cancell?ed|refunded|reimbursed|credited|changed|updated|approved|applied|granted|issued)\b"
        + @"|\b(?:cancell?ed|refunded|credited|approved|applied|granted)\s+(?:to|for|on)\s+(?:your\s+|the\s+|this\s+)?order\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex English();

    // The same done-words as participles, read without their grammar: German and Dutch put the participle at the end,
    // far from its auxiliary ("Wir haben Ihre Bestellung storniert"), so a participle anywhere is a claim. It passes only
    // when a negation stands right before it, or before the auxiliaries and adverbs in between ("wurde noch nicht
    // storniert", "n'a pas encore été annulée", "non è ancora stato annullato"); a request restated ("que votre commande
    // soit annulée") is refused with the rest.
    [GeneratedRegex(
        @"(?<!(?:\b(?:nicht|nichts|kein\w*|nie|niemals|weder|pas|rien|jamais|aucune?s?|ni|no|nada|nunca|ningun[oa]?s?|ningún|tampoco|non|nulla|niente|né|niet|niets|geen|nooit|não|nem|nenhum\w*)|\bn['’]\w+)\s+"
        + @"(?:(?:wurden?|wird|werden|ist|sind|waren?|worden|hat|habe|haben|hatten?|noch|bisher|bislang|auch"
        + @"|a|ai|avons|avez|ont|est|sont|été|était|sera|encore|jamais|pas|rien|vous|lui|l['’]|la|le|les|ni"
        + @"|ha|han|he|hemos|sido|es|son|está|están|fue|fueron|se|lo|todavía|aún"
        + @"|è|sono|stat[oaie]|hanno|ho|abbiamo|ancora|mai|ne|gli"
        + @"|is|zijn|werd|werden|heeft|hebben|heb|nog|er|ook"
        + @"|foi|foram|é|são|estão|tem|têm|ainda|lhe|o|os|as)\s+)*)"
        + @"\b(?:(?:storniert|annulliert|(?:rück|zurück)?erstattet|gutgeschrieben|zurück(?:ge|be)zahlt|geändert|aktualisiert|genehmigt|angew(?:endet|andt)|gewährt|ausgestellt)(?:e[mnrs]?)?"
        + @"|(?:annulé|remboursé|crédité|modifié|changé|approuvé|appliqué|accordé|émis)e?s?|mise?s?\s+à\s+jour"
        + @"|(?:cancelad|anulad|reembolsad|devuelt|acreditad|abonad|cambiad|modificad|actualizad|aprobad|aplicad|concedid|otorgad|emitid"
        + @"|estornad|devolvid|creditad|alterad|mudad|atualizad|aprovad)[oa]s?"
        + @"|(?:annullat|cancellat|stornat|rimborsat|restituit|accreditat|modificat|cambiat|aggiornat|approvat|applicat|concess|emess)[oaie]"
        + @"|(?:geannuleerd|terugbetaald|teruggestort|vergoed|gecrediteerd|gewijzigd|veranderd|aangepast|bijgewerkt|goedgekeurd|toegepast|toegekend)e?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OtherLanguages();
}

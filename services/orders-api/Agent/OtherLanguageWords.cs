namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The words <see cref="IntentRules"/> reads in the languages a European or Japanese shop's customers write besides
/// English: German, French, Spanish, Italian, Dutch, Portuguese and Japanese. Each is a regex alternation joined to the
/// English one of its intent. A cancellation in German ("Bitte stornieren Sie meine Bestellung") was "other": it reached
/// no one, the order shipped, and the reply said the team would read it.
/// </summary>
/// <remarks>
/// Stems are anchored where an English word starts alike: "annual" and "annular" are not French "annul(er|ez...)",
/// "cassette" is not "cassé", "expedition" not "expédié" (its accent is required); words no English word contains
/// ("stornier", "erstatt", "adres", Japanese) need no anchor, so compounds such as "Lieferadresse" and
/// "Bestellungsstornierung" are read too. A word that is English as well is read only in its language's company:
/// Spanish "rota" after "llegó" or "la taza", never "the staff rota"; German "Ersatz" in "Ersatzlieferung", never
/// "ersatz china". The text is in NFC, so an accent typed as a combining mark still matches.
/// A request written in these words is taken as asked: the English rules' negations and questions
/// (<see cref="IntentRules"/>) have no equivalent here, so "bitte nicht stornieren" reaches a person as a cancellation,
/// which costs a person's look, where a missed one cost the order.
/// </remarks>
internal static class OtherLanguageWords
{
    /// <summary>Cancelling.</summary>
    public const string Cancel =
        @"stornier\w*|\bstorno\b|\babbestell\w*"
        + @"|\bannul(?:er|ez|e|es|ent|ons|é|ée|és|ées|ation)\b"
        + @"|\bannull\w*"
        + @"|\b(?:ge)?annule(?:er|ren|ring|erd|ert)\b"
        + @"|\banul(?:ar|e|en|ad[oa]s?|aci[oó]n|a[cç][aã]o)\b"
        + @"|\bcancel(?:ar|e|en|em|o|a|ad[oa]s?|aci[oó]n|amento)\b"
        + @"|\bcancell(?:are|ate|ato|ata|a|i|o|azione)\b"
        + @"|キャンセル|取り?消";

    /// <summary>A refund, money back, or sending the order back.</summary>
    public const string ReturnOrRefund =
        @"\br(?:ü|ue)ck(?:erstatt|zahl|sendung|gabe)\w*|erstatt\w*|\bgeld\s+zur(?:ü|ue)ck\b|\bzur(?:ü|ue)ck(?:senden|schicken|geben|zahlen)\b"
        + @"|\bretour\w*|\brembours\w*|\brenvoyer\b"
        + @"|\breembols\w*|\bdevol(?:ver|va|vam|vi|uci[oó]n|u[cç][aã]o)\b|\bdevuelv\w*|\bestorno\b"
        + @"|\brimbors\w*|\brestitu(?:ire|ite|isco|zione)\b|\breso\b"
        + @"|\bterug(?:betal|stort|sturen|zenden|geven)\w*|\bgeld\s+terug\b"
        + @"|返金|返品|払い?戻|返送";

    /// <summary>The words for an address; none is in an English word.</summary>
    private const string AddressNoun = @"(?:adres|anschrift|direcci[oó]n|domicilio|indirizz|endere[cç]o|morada)";

    /// <summary>The words that say it changes or is wrong, in any of the languages: the noun already tells the language.</summary>
    private const string AddressChange =
        @"(?:(?:ä|ae)nder|korrigier|falsch|\bneuen?\b|chang|modifi|corrig|correg|nouvelle|mauvaise|fausse|erron|cambi|equivocad|incorrect[ao]|sbagliat"
        + @"|\bnuov[oa]\b|\bnuev[oa]\b|wijzig|verander|aanpass|\bnieuw|verkeerd|\bfout|\bmud(?:ar|ei|ou|an[cç]a)\b|\balter(?:ar|ei|a[cç][aã]o)\b|\btroc(?:ar|a)\b|\bnov[oa]\b|errad)";

    /// <summary>Changing the delivery address, or that it is wrong; moving house.</summary>
    public const string ChangeAddress =
        AddressChange + ".{0,30}" + AddressNoun + "|" + AddressNoun + ".{0,30}" + AddressChange
        + @"|\bumgezogen\b|\bdéménag\w*|\bverhuisd\b"
        + "|住所.{0,10}(?:変更|変え|間違|違|訂正|修正)|(?:新しい|正しい)住所|引っ越";

    /// <summary>Damage, a missing or wrong item, a replacement.</summary>
    public const string Problem =
        @"\bkaputt\w*|besch(?:ä|ae)digt\w*|\bzerbrochen\w*|\bdefekt\w*|\bfalsche[nrs]?\s+(?:artikel|ware|gr(?:ö|oe)(?:ß|ss)e|farbe|produkt|lieferung)\b|\bfehlt\b|\bfehlende[nrs]?\b|\bumtausch\w*|\bersatz(?:lieferung|artikel|teil|produkt)\w*"
        + @"|\bcass(?:é|ée|és|ées|e|ee|es)\b|\bab[îi]m(?:é|ée|és|ées|e|ee|es)\b|\bendommag\w*|\bd[ée]fectueu\w*|\bmanquan\w*|\bmauvaise?s?\s+(?:article|produit|taille|couleur|commande|colis)\b|\bremplac\w*|\bbris(?:é|ée|és|ées)\b"
        + @"|\brot(?:o|os|as)\b|\b(?:lleg[óo]|llegaron|est[áa]n?|vino|vinieron)\s+rota\b|\b(?:la|una)\s+\w+\s+rota\b|\bda[ñn]ad[oa]s?\b|\bdefectuos[oa]s?\b|\bquebrad[oa]s?\b|\bequivocad[oa]s?\b|\bfalta(?:n|ba|ndo)?\b|\breemplaz\w*"
        + @"|\brott[oaie]\b|\bdanneggiat\w*|\bdifettos\w*|\bsbagliat\w*|\bmanca(?:no|nte|nti|to|ta)?\b|\brovinat\w*|\bsostitu\w*"
        + @"|\bkapot\w*|\bbeschadigd\w*|\bgebroken\b|\bverkeerde?\b|\bontbre\w*|\bvervang\w*"
        + @"|\bdanificad[oa]s?\b|\bestragad[oa]s?\b|\bavariad[oa]s?\b|\bdefeituos[oa]s?\b|\berrad[oa]s?\b|\bsubstitui\w*"
        + "|破損|壊れ|割れ|不良|間違|欠品|足りな";

    /// <summary>Where the order is, when it comes, that it has not come: the cheap, common phrasings.</summary>
    public const string WhereIsMyOrder =
        @"\bwo\s+(?:ist|bleibt)\b|\bwann\s+(?:kommt|wird|kann|erhalte|bekomme)\b|sendungs(?:verfolgung|nummer)|\blieferstatus\b|\bnoch\s+nicht\s+(?:angekommen|erhalten|geliefert|da)\b|\bversendet\b|\bverschickt\b|\bgeliefert\b|\bzugestellt\b"
        + @"|\bo[uù]\s+(?:en\s+)?est\b|\bquand\s+(?:va|vais|arrive\w*|sera|recevrai)\b|\bsuivi\b|\bpas\s+(?:encore\s+)?re[cç]u\b|\blivr(?:aison|é|ée|és|ées|er)\b|\bexpédi\w*"
        + @"|\bd[oó]nde\s+est[aá]n?\b|\bcu[aá]ndo\s+(?:llega\w*|recibir[eé]|env[ií]a\w*)\b|\bseguimiento\b|\bno\s+(?:me\s+)?ha\s+llegado\b|\benviad[oa]\b"
        + @"|\bdov'[eè]|\bdove\s+[eè]\b|\bquando\s+arriv\w*|\bspedizione\b|\bspedit[oa]\b|\btracciamento\b|\bnon\s+(?:[eè]\s+)?(?:ancora\s+)?arrivat[oa]\b"
        + @"|\bwaar\s+(?:is|blijft)\b|\bwanneer\s+(?:komt|wordt|krijg)\b|\btrack\s*(?:&|en)\s*trace\b|\bbezorg\w*|\bverzonden\b|\bnog\s+niet\s+(?:ontvangen|bezorgd|aangekomen|binnen)\b"
        + @"|\bonde\s+est[aá]\b|\bquando\s+(?:chega|vai\s+chegar)\b|\brastre(?:io|amento)\b|\bainda\s+n[aã]o\s+(?:chegou|recebi)\b"
        + "|まだ届|届いてい?(?:ない|ません)|届かな|いつ届|配送|発送|追跡|配達";
}

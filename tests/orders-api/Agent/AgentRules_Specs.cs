using System.Text;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The agent's pure rules: intents, automatic mail, the reply's subject, references and id.</summary>
public sealed class AgentRules_Specs
{
    [Theory]
    [InlineData("Where is my order?", "", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "Do you have a tracking number?", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "It has not arrived, please cancel it.", Intent.Cancel)]
    [InlineData("Cancellation", "", Intent.Cancel)]
    [InlineData("Broken mug", "I would like a refund.", Intent.ReturnOrRefund)]
    [InlineData("Hello", "How do I send it back?", Intent.ReturnOrRefund)]
    [InlineData("Address", "Please change the delivery address to 2 Park Lane.", Intent.ChangeAddress)]
    [InlineData("Hi", "My address is wrong on the order.", Intent.ChangeAddress)]
    [InlineData("Hello", "The mug arrived broken, please send a replacement.", Intent.Problem)]
    [InlineData("Hello", "My parcel was delivered yesterday but one item is missing.", Intent.Problem)]
    [InlineData("Order", "You sent me the wrong item.", Intent.Problem)]
    [InlineData("Hello", "I've been charged twice, I'm contacting my bank and a lawyer.", Intent.Problem)]
    [InlineData("Hello", "I will file a chargeback.", Intent.Problem)]
    [InlineData("Hello", "Where is my order? I hope it hasn't been cancelled.", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "I do NOT want to cancel, just tell me when it arrives.", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "Please don’t cancel it, I still want it.", Intent.Other)]
    [InlineData("Hello", "Has my order been cancelled?", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "Where is it? I will cancel if it is late.", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "Where’s my order? I’ll cancel if it is late.", Intent.WhereIsMyOrder)]
    [InlineData("Where’s my order?", "", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "Whereʼs the parcel? I‘m thinking of cancelling.", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "It hasn’t come yet.", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "I just returned from holiday and it still isn't here.", Intent.WhereIsMyOrder)]
    [InlineData("Hello", "As a returning customer, I love your shop.", Intent.Other)]
    [InlineData("Hello", "Please cancel my order.", Intent.Cancel)]
    [InlineData("Hello", "It did not come so please cancel it.", Intent.Cancel)]
    [InlineData("Hello", "Where is my order? Please cancel it if it has not shipped.", Intent.Cancel)]
    [InlineData("Hello", "I want to return the mug.", Intent.ReturnOrRefund)]
    [InlineData("Hello", "Can I get a refund?", Intent.ReturnOrRefund)]
    [InlineData("Hello", "Where is my refund?", Intent.ReturnOrRefund)]
    [InlineData("Thanks", "Great service!", Intent.Other)]
    [InlineData("", "", Intent.Other)]
    [InlineData("Thanks", "The mug is lovely.\n\nIf you received this in error, please notify the sender by return email.", Intent.Other)]
    [InlineData("Thanks", "The mug is lovely. If this reached you by mistake, tell us by return of post.", Intent.Other)]
    public void An_email_Should_be_classified_by_what_it_asks(string subject, string text, Intent intent) =>
        Assert.Equal(intent, IntentRules.Classify(subject, text));

    /// <summary>
    /// A customer of a European or Japanese shop writes in their own language: every one of these was "other" (or, for
    /// "arrivée", where-is-my-order), so a cancellation was never handed to the team and the order shipped.
    /// </summary>
    [Theory]
    [InlineData("Bitte stornieren Sie meine Bestellung.", Intent.Cancel)]
    [InlineData("Merci d'annuler ma commande.", Intent.Cancel)]
    [InlineData("Por favor, cancelen mi pedido.", Intent.Cancel)]
    [InlineData("Per favore, annullate il mio ordine.", Intent.Cancel)]
    [InlineData("Annuleer alstublieft mijn bestelling.", Intent.Cancel)]
    [InlineData("Quero cancelar a minha encomenda.", Intent.Cancel)]
    [InlineData("注文をキャンセルしてください。", Intent.Cancel)]
    [InlineData("注文を取り消してください。", Intent.Cancel)]
    [InlineData("Die Tasse kam kaputt an, bitte Geld zurück.", Intent.ReturnOrRefund)]
    [InlineData("La tasse est arrivée cassée, je veux un remboursement.", Intent.ReturnOrRefund)]
    [InlineData("Quiero un reembolso, por favor.", Intent.ReturnOrRefund)]
    [InlineData("Vorrei un rimborso.", Intent.ReturnOrRefund)]
    [InlineData("Kunt u het bedrag terugbetalen?", Intent.ReturnOrRefund)]
    [InlineData("Gostaria de um reembolso.", Intent.ReturnOrRefund)]
    [InlineData("返金をお願いします。", Intent.ReturnOrRefund)]
    [InlineData("Die Tasse ist beschädigt angekommen.", Intent.Problem)]
    [InlineData("La tasse est arrivée abîmée.", Intent.Problem)]
    [InlineData("La taza llegó rota.", Intent.Problem)]
    [InlineData("Me enviaron la taza rota.", Intent.Problem)]
    [InlineData("La tazza è arrivata rotta.", Intent.Problem)]
    [InlineData("De mok is kapot aangekomen.", Intent.Problem)]
    [InlineData("A caneca chegou danificada.", Intent.Problem)]
    [InlineData("マグカップが破損していました。", Intent.Problem)]
    [InlineData("マグカップが壊れていました。", Intent.Problem)]
    [InlineData("Ich möchte die Lieferadresse ändern.", Intent.ChangeAddress)]
    [InlineData("Je voudrais changer d’adresse de livraison.", Intent.ChangeAddress)]
    [InlineData("Quiero cambiar la dirección de envío.", Intent.ChangeAddress)]
    [InlineData("Vorrei cambiare l'indirizzo di consegna.", Intent.ChangeAddress)]
    [InlineData("Ik wil mijn adres wijzigen.", Intent.ChangeAddress)]
    [InlineData("Preciso alterar o endereço de entrega.", Intent.ChangeAddress)]
    [InlineData("住所を変更したいです。", Intent.ChangeAddress)]
    [InlineData("Wo ist meine Bestellung?", Intent.WhereIsMyOrder)]
    [InlineData("Où est ma commande ?", Intent.WhereIsMyOrder)]
    [InlineData("¿Dónde está mi pedido?", Intent.WhereIsMyOrder)]
    [InlineData("Dov’è il mio ordine?", Intent.WhereIsMyOrder)]
    [InlineData("Waar is mijn bestelling?", Intent.WhereIsMyOrder)]
    [InlineData("Onde está a minha encomenda?", Intent.WhereIsMyOrder)]
    [InlineData("注文した商品がまだ届いていません。", Intent.WhereIsMyOrder)]
    public void An_email_in_another_language_Should_be_classified_by_what_it_asks(string text, Intent intent) =>
        Assert.Equal(intent, IntentRules.Classify("", text));

    /// <summary>A mail client may send "î" as "i" and a combining circumflex: it is read as the letter.</summary>
    [Fact]
    public void An_accent_sent_as_a_combining_mark_Should_be_read_as_its_letter() =>
        Assert.Equal(Intent.Problem, IntentRules.Classify("", "La tasse est arrivée abîmée.".Normalize(NormalizationForm.FormD)));

    /// <summary>The other languages' words are anchored: an English word that starts like one asks for nothing.</summary>
    [Theory]
    [InlineData("Thanks, I love the annual catalogue.")]
    [InlineData("The cassette and the casserole dish are lovely.")]
    [InlineData("Our anniversary dinner was lovely, thank you.")]
    [InlineData("The rotating shelf and the annular lamp look great.")]
    [InlineData("The expedition team loves your mugs.")]
    [InlineData("Retouching my photos of the mugs now, thanks.")]
    [InlineData("Liverpool fans love your scarves.")]
    [InlineData("I know the directions to your shop.")]
    [InlineData("Our staff rota is on the fridge, and this is no ersatz china.")]
    [InlineData("I am taking the mug to Nice, and Dante loves it.")]
    public void An_english_email_that_only_looks_like_another_language_Should_stay_other(string text) =>
        Assert.Equal(Intent.Other, IntentRules.Classify("Hello", text));

    /// <summary>
    /// What the rules found no request in is handed to a person when its words are unlikely English: no common English
    /// word, or mostly letters outside ASCII. A short English note is English; words without letters are nothing to read.
    /// </summary>
    [Theory]
    [InlineData("Rechnung", "Hallo,\n\nkönnen Sie mir bitte eine Rechnung schicken?\n\nJane", true)]
    [InlineData("Facture", "Pouvez-vous m'envoyer une facture ? Merci, Jane", true)]
    [InlineData("Factuur", "Is er een factuur in de doos?", true)]
    [InlineData("", "領収書を送ってください。Thank you", true)]
    [InlineData("Facture", "Bonjour, j'ai une question : pouvez-vous m'envoyer la facture ?", true)]
    [InlineData("Factuur", "Kunt u mij een factuur sturen, want ik heb die nodig?", true)]
    [InlineData("Bitte um Rückruf", "", true)]
    [InlineData("Thanks", "Lovely shop, thank you!", false)]
    [InlineData("Hello", "Just saying hi.", false)]
    [InlineData("Thanks", "Great service!", false)]
    [InlineData("Hello", "", false)]
    [InlineData("Re: Your order ORD-1", "Ok", false)]
    [InlineData("Hello again", "One more thing.", false)]
    [InlineData("", "Sent today, arrived tomorrow?", false)]
    [InlineData("", "Okay, thx", false)]
    [InlineData("", "👍 10/10", false)]
    [InlineData(null, null, false)]
    public void Words_Should_be_unlikely_english_only_without_a_common_english_word_or_mostly_outside_ascii(string? subject, string? text, bool unlikely) =>
        Assert.Equal(unlikely, EnglishText.IsUnlikely(subject, text));

    /// <summary>
    /// Everyday words of the languages the rules read are none of the common English words: "question" (French), "want"
    /// and "week" (Dutch) were, and a French or Dutch request holding one was taken for English and read by no one.
    /// </summary>
    [Theory]
    [InlineData("die das was will also so war man hat bitte")]
    [InlineData("question sent arrive est pour une mon vous")]
    [InlineData("es en con para que una pero muy")]
    [InlineData("come per non sono questo anche")]
    [InlineData("want week van een dat het niet ook")]
    [InlineData("for em se uma com muito obrigada")]
    public void Everyday_words_of_the_other_languages_Should_not_be_taken_for_english(string words) =>
        Assert.All(words.Split(' '), word => Assert.True(EnglishText.IsUnlikely(null, word), $"\"{word}\" is read as English"));

    /// <summary>
    /// A signature (after RFC 3676's "-- "), a disclaimer and a phone's last line ask for nothing: "Legal Counsel" made a
    /// thank-you a problem, "Enviado desde mi iPhone" a question where the order is, and the request above them stays.
    /// </summary>
    [Theory]
    [InlineData("Thanks, the mug is lovely.\n-- \nJane Smith\nLegal Counsel", Intent.Other)]
    [InlineData("Thanks, the mug is lovely.\r\n--\r\nJane Smith\r\nReturns Manager", Intent.Other)]
    [InlineData("Gracias, la taza es preciosa.\n\nEnviado desde mi iPhone", Intent.Other)]
    [InlineData("Obrigada, a caneca é linda.\n\nEnviado do meu iPhone\n", Intent.Other)]
    [InlineData("Bedankt, de mok is prachtig.\n\nVerzonden vanaf mijn iPhone", Intent.Other)]
    [InlineData("Bedankt, de mok is prachtig.\n\nVerzonden met mijn Galaxy", Intent.Other)]
    [InlineData("Please cancel my order.\n\nSent from my iPhone", Intent.Cancel)]
    [InlineData("¿Dónde está mi pedido?\n\nEnviado desde mi iPhone", Intent.WhereIsMyOrder)]
    [InlineData("Please cancel my order.\n-- \nJane", Intent.Cancel)]
    public void A_signature_or_a_phone_line_Should_not_decide_the_intent(string text, Intent intent) =>
        Assert.Equal(intent, IntentRules.Classify(null, NewWords.TextOf(Message(text))));

    /// <summary>A phone's English last line ("Sent from my iPhone", "Get Outlook for iOS") is not the customer's English.</summary>
    [Theory]
    [InlineData("Hallo,\n\nkönnen Sie mir bitte eine Rechnung schicken?\n\nSent from my iPhone", true)]
    [InlineData("Kunt u mij een factuur sturen?\n\nGet Outlook for iOS", true)]
    [InlineData("Können Sie mir eine Rechnung schicken?\n\nVon meinem iPhone gesendet", true)]
    [InlineData("Pouvez-vous m'envoyer la facture ?\n\nEnvoyé de mon iPhone", true)]
    [InlineData("Potete mandarmi la fattura?\n\nInviato da iPhone", true)]
    [InlineData("Thanks, lovely mug!\n\nSent from my iPhone", false)]
    [InlineData("Thanks!\n\nSent from Yahoo Mail on Android", false)]
    public void Words_Should_be_judged_english_without_a_phone_line(string text, bool unlikely) =>
        Assert.Equal(unlikely, EnglishText.IsUnlikely(null, NewWords.TextOf(Message(text))));

    /// <summary>
    /// A reply without new words from AgentMail is read down to the history it quotes, whichever mail client wrote it;
    /// a message that is no reply is read whole.
    /// </summary>
    [Theory]
    [InlineData("Thanks!\n\nOn Sat, 5 Dec 2026 at 10:02, OrdersMail <ord-1@agentmail.to> wrote:\n> cancel", "Thanks!")]
    [InlineData("Thanks!\n\nOn Sat, 5 Dec 2026 at 10:02, OrdersMail customer service <\nord-1@agentmail.to> wrote:\n\nYou asked us to cancel", "Thanks!")]
    [InlineData("Merci !\n\nLe sam. 5 déc. 2026 à 10:02, OrdersMail <ord-1@agentmail.to> a écrit :\n> annuler", "Merci !")]
    [InlineData("Danke!\n\nAm Sa., 5. Dez. 2026 um 10:02 Uhr schrieb OrdersMail <ord-1@agentmail.to>:\n> stornieren", "Danke!")]
    [InlineData("Gracias\n\nEl sáb, 5 dic 2026 a las 10:02, OrdersMail (<ord-1@agentmail.to>) escribió:\n> cancelar", "Gracias")]
    [InlineData("Thanks!\n> You asked us to cancel this order.", "Thanks!")]
    [InlineData("Thanks!\r\n\r\n-----Original Message-----\r\nFrom: OrdersMail\r\nYou asked us to cancel", "Thanks!")]
    [InlineData("Thanks!\r\n\r\n________________________________\r\nFrom: OrdersMail <ord-1@agentmail.to>\r\nSent: Saturday, December 5, 2026 10:02\r\nTo: Jane\r\nSubject: cancel", "Thanks!")]
    [InlineData("See below.\n\n---------- Forwarded message ---------\nFrom: OrdersMail\nPlease cancel", "See below.")]
    [InlineData("\n\nOn Sat, 5 Dec 2026 at 10:02, OrdersMail <ord-1@agentmail.to> wrote:\n> cancel", "")]
    public void A_reply_without_new_words_Should_be_read_down_to_its_quote(string text, string read) =>
        Assert.Equal(read, NewWords.TextOf(Message(text) with { InReplyTo = "<agent-answer@agentmail.to>" }));

    [Fact]
    public void A_message_that_is_no_reply_Should_be_read_whole() =>
        Assert.Equal("Hi\n> 5 mugs, not 4", NewWords.TextOf(Message("Hi\n> 5 mugs, not 4")));

    [Theory]
    [InlineData("jane@example.com", null, null, null, null)]
    [InlineData("jane@example.com", "no", null, null, null)]
    [InlineData("jane@example.com", " No ", "first-class", null, null)]
    [InlineData("jane@example.com", "auto-replied", null, null, NoAnswer.AutoReply)]
    [InlineData("jane@example.com", null, "LIST", null, NoAnswer.AutoReply)]
    [InlineData("jane@example.com", null, null, "YES", NoAnswer.AutoReply)]
    [InlineData("Mailer-Daemon@mx.example.com", null, null, null, NoAnswer.Bounce)]
    [InlineData("postmaster@example.com", null, null, null, NoAnswer.Bounce)]
    [InlineData("postmaster.jane@example.com", null, null, null, null)]
    [InlineData("not an address", null, null, null, NoAnswer.NoSenderAddress)]
    public void Automatic_mail_Should_be_recognised_by_its_headers_and_sender(string from, string? autoSubmitted, string? precedence, string? xAutoreply, NoAnswer? expected)
    {
        var message = new InboundMessageRouted(
            Guid.NewGuid(), "inbox", "<m@x>", "t", from, "s", "t", null, [], "inbox-order-ref", DateTimeOffset.UnixEpoch, autoSubmitted, precedence, xAutoreply);

        Assert.Equal(expected, AutomaticMail.Why(message));
    }

    [Theory]
    [InlineData("noreply@shop.example", NoAnswer.NoReplySender)]
    [InlineData("Shop <Do-Not-Reply@shop.example>", NoAnswer.NoReplySender)]
    [InlineData("noreply+orders@shop.example", NoAnswer.NoReplySender)]
    [InlineData("jane.noreply@example.com", null)]
    [InlineData("noreplying@example.com", null)]
    public void A_sender_that_takes_no_replies_Should_be_recognised_by_its_mailbox(string from, NoAnswer? expected)
    {
        var message = new InboundMessageRouted(Guid.NewGuid(), "inbox", "<m@x>", "t", from, "s", "t", null, [], "inbox-order-ref", DateTimeOffset.UnixEpoch);

        Assert.Equal(expected, AutomaticMail.Why(message));
    }

    [Theory]
    [InlineData("Where is my order?", "Re: Where is my order?")]
    [InlineData("  Where is my order?  ", "Re: Where is my order?")]
    [InlineData("Re: Where is my order?", "Re: Where is my order?")]
    [InlineData("RE : Where is my order?", "RE : Where is my order?")]
    [InlineData("Regarding my order", "Re: Regarding my order")]
    [InlineData("", "Re: your message")]
    public void The_reply_subject_Should_be_re_and_the_original_never_doubled(string original, string expected) =>
        Assert.Equal(expected, AgentReplyEmail.Subject(original));

    [Fact]
    public void The_references_Should_be_theirs_then_the_message_answered_each_once() =>
        Assert.Equal("<a@x> <b@x> <c@x>", AgentReplyEmail.References(["<a@x>", " ", "<b@x>", "<a@x>", "<c@x>"], "<c@x>"));

    private static InboundMessageRouted Message(string text) =>
        new(Guid.NewGuid(), "inbox", "<m@x>", "t", "jane@example.com", "Hello", text, null, [], "inbox-order-ref", DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_reply_id_Should_be_a_version_5_uuid_of_the_order_and_the_message()
    {
        var order = Guid.NewGuid();

        var id = AgentReplyIds.For(order, "<m@x>");

        Assert.Equal(id, AgentReplyIds.For(order, "<m@x>"));
        Assert.NotEqual(id, AgentReplyIds.For(order, "<n@x>"));
        Assert.NotEqual(id, AgentReplyIds.For(Guid.NewGuid(), "<m@x>"));
        Assert.Equal(5, id.Version);
        Assert.Contains(id.ToString("D")[19], "89ab");
    }
}

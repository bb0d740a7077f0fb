using System.Globalization;
using OrdersMail.OrdersApi.Agent;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>Each rule of <see cref="ModelReplyCheck"/>, on the replies a model talked into them would write, and on clean ones.</summary>
public sealed class ModelReplyCheck_Specs
{
    private static readonly OrderFacts Facts = new(
        "ORD-234ABC", "placed", "Jane", "EUR", 19.00m, [new OrderFactsItem("Mug", 2, 9.50m), new OrderFactsItem("Card", 1, 0m)], "jane.7k3q@agentmail.to", "delivered");

    /// <summary>An order in Kuwaiti dinars, whose fils are thousandths: 1 x Lamp at 12.345 KWD.</summary>
    private static readonly OrderFacts ThreeDecimals = Facts with { Currency = "KWD", Total = 12.345m, Items = [new OrderFactsItem("Lamp", 1, 12.345m)] };

    [Theory]
    [InlineData("Your refund is on its way, see http://x", ModelReplyCheck.Link)]
    [InlineData("Track it at https://tracking.example/ORD-234ABC", ModelReplyCheck.Link)]
    [InlineData("Details at www.example.com", ModelReplyCheck.Link)]
    [InlineData("See [your order](javascript:alert(1))", ModelReplyCheck.Link)]
    [InlineData("We will refund 500.00 EUR.", ModelReplyCheck.Amount)]
    [InlineData("A goodwill credit of EUR 5 is yours.", ModelReplyCheck.Amount)]
    [InlineData("You get €5 back.", ModelReplyCheck.Amount)]
    [InlineData("You get 5 euros back.", ModelReplyCheck.Amount)]
    [InlineData("Your order qualifies for 20% off.", ModelReplyCheck.Amount)]
    [InlineData("A 20 percent discount is yours.", ModelReplyCheck.Amount)]
    [InlineData("The total is 1,234.56 EUR.", ModelReplyCheck.Amount)]
    [InlineData("A goodwill credit of EUR500 is yours.", ModelReplyCheck.Amount)]
    [InlineData("We will refund 500 usd.", ModelReplyCheck.Amount)]
    [InlineData("You get ₹500 back.", ModelReplyCheck.Amount)]
    [InlineData("You get 5000 yen back.", ModelReplyCheck.Amount)]
    [InlineData("You get 500 kr back.", ModelReplyCheck.Amount)]
    [InlineData("Your total is $19.00.", ModelReplyCheck.Amount)]
    [InlineData("Your total is 19.00 USD.", ModelReplyCheck.Amount)]
    [InlineData("We will refund 500 TRY.", ModelReplyCheck.Amount)]
    [InlineData("A credit of Rs500 is yours.", ModelReplyCheck.Amount)]
    [InlineData("Your order has been cancelled.", ModelReplyCheck.DoneClaim)]
    [InlineData("I have refunded your order.", ModelReplyCheck.DoneClaim)]
    [InlineData("Your new address has now been updated.", ModelReplyCheck.DoneClaim)]
    [InlineData("Your request was approved.", ModelReplyCheck.DoneClaim)]
    [InlineData("Free express delivery applied to your order ORD-234ABC.", ModelReplyCheck.DoneClaim)]
    [InlineData("Write to refunds@shop-support.example for the rest.", ModelReplyCheck.EmailAddress)]
    public void When_a_reply_breaks_a_rule_Should_name_it(string reply, string rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, Facts)));

    [Fact]
    public void When_a_reply_is_longer_than_the_bound_Should_refuse_it() =>
        Assert.Equal(ModelReplyCheck.TooLong, ModelReplyCheck.BrokenRule(new string('a', ModelReplyCheck.MaxLength + 1), Request(Intent.Other, Facts)));

    /// <summary>An unverified sender's prompt had no amounts: any amount in the reply is made up, the order's own included.</summary>
    [Fact]
    public void When_the_sender_is_not_verified_Should_refuse_even_the_orders_total() =>
        Assert.Equal(ModelReplyCheck.Amount, ModelReplyCheck.BrokenRule("Your total is 19.00 EUR.", Request(Intent.Other, null)));

    [Theory]
    [InlineData("Your order ORD-234ABC is placed: 2 x Mug at 9.50 EUR, 19.00 EUR in all.")]
    [InlineData("The two mugs come to 19 EUR, €19.00 with the card at 0.00 EUR.")]
    [InlineData("You asked us to cancel it. Nothing has been cancelled yet: I have passed your request to our team.")]
    [InlineData("The order has not been cancelled, and the address hasn't been changed; the team will confirm by email.")]
    [InlineData("We will answer at jane.doe@example.com; you can also write to jane.7k3q@agentmail.to or inbox_jane@agentmail.to.")]
    [InlineData("It ships within 2 days; we have 3 mugs left and it is being processed.")]
    [InlineData("All 3 items ship together, 19.00 eur in all (EUR19 with the card); we will try 2 more times to reach you.")]
    [InlineData("[sandbox model] Thank you for your message; this answer was written for prompt 123456789012.")]
    public void When_a_reply_keeps_to_the_facts_Should_pass_it(string reply) =>
        Assert.Null(ModelReplyCheck.BrokenRule(reply, Request(Intent.Cancel, Facts)));

    /// <summary>
    /// An order in a currency of three decimals: the check reads up to the four stored, so the model quoting the order's
    /// own 12.345 KWD is not refused (it was read as 12345), and any other amount still is.
    /// </summary>
    [Theory]
    [InlineData("Your order ORD-234ABC is placed: 1 x Lamp at 12.345 KWD, 12.345 KWD in all.", null)]
    [InlineData("The total is KWD 12.3450.", null)]
    [InlineData("We will refund 500.00 EUR.", ModelReplyCheck.Amount)]
    [InlineData("The total is 12.35 KWD.", ModelReplyCheck.Amount)]
    [InlineData("The total is 12,345.00 KWD.", ModelReplyCheck.Amount)]
    public void When_the_order_has_three_decimals_Should_pass_its_own_amounts_only(string reply, string? rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, ThreeDecimals)));

    /// <summary>
    /// An order in Kuwaiti dinars of 12.5: written the KWD way, 12.500, it is the order's total, not twelve thousand five
    /// hundred.
    /// </summary>
    [Theory]
    [InlineData("Your total is 12.500 KWD.", null)]
    [InlineData("Your total is 12.5 KWD.", null)]
    [InlineData("A credit of 9.500 KWD is yours.", ModelReplyCheck.Amount)]
    [InlineData("As requested, we confirm a refund of 12,500 KWD.", ModelReplyCheck.Amount)]
    public void When_the_orders_currency_has_three_decimals_Should_read_three_as_decimals(string reply, string? rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, ThreeDecimals with { Total = 12.5m, Items = [new OrderFactsItem("Lamp", 1, 12.5m)] })));

    /// <summary>
    /// An amount by a code or symbol is the order's only in the order's currency; a symbol several currencies use ($)
    /// passes on the number alone when the order's currency is one of them.
    /// </summary>
    [Theory]
    [InlineData("Your total is $19.00.", "USD", null)]
    [InlineData("Your total is $19.00.", "CAD", null)]
    [InlineData("Your total is US$19.", "USD", null)]
    [InlineData("Your total is 19.00 usd.", "USD", null)]
    [InlineData("Your total is 19 dollars.", "AUD", null)]
    [InlineData("Your total is ¥19.", "JPY", null)]
    [InlineData("Your total is 19 yen.", "CNY", ModelReplyCheck.Amount)]
    [InlineData("Your total is €19.", "USD", ModelReplyCheck.Amount)]
    [InlineData("Your total is 19.00 EUR.", "USD", ModelReplyCheck.Amount)]
    [InlineData("Your total is ₿19.", "USD", ModelReplyCheck.Amount)]
    [InlineData("Your total is 19 TRY.", "TRY", null)]
    [InlineData("Your total is ₺19.", "TRY", null)]
    [InlineData("Your total is ₺19.", "EUR", ModelReplyCheck.Amount)]
    [InlineData("Your total is Rs. 19.", "INR", null)]
    [InlineData("Your total is 19 zł.", "PLN", null)]
    [InlineData("Your total is 19 zł.", "EUR", ModelReplyCheck.Amount)]
    [InlineData("Your total is 19 NIS.", "ILS", null)]
    [InlineData("Your total is 19 NTD.", "TWD", null)]
    [InlineData("Your total is 19 NIS.", "EUR", ModelReplyCheck.Amount)]
    [InlineData("Your total is 19 BTC.", "USD", ModelReplyCheck.Amount)]
    [InlineData("Your total is BTC 19.", "USD", ModelReplyCheck.Amount)]
    public void When_an_amount_names_a_currency_Should_pass_only_the_orders(string reply, string currency, string? rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, Facts with { Currency = currency })));

    /// <summary>A currency without minor units: the order's 1500 JPY passes however it is grouped, 1500.00 too.</summary>
    [Theory]
    [InlineData("Your total is 1500 JPY.", null)]
    [InlineData("Your total is ¥1,500.", null)]
    [InlineData("Your total is 1.500 JPY.", null)]
    [InlineData("Your total is 1500.00 JPY.", null)]
    [InlineData("Your total is 15000 JPY.", ModelReplyCheck.Amount)]
    public void When_the_orders_currency_has_no_decimals_Should_pass_its_own_amounts_only(string reply, string? rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, Facts with { Currency = "JPY", Total = 1500m, Items = [new OrderFactsItem("Mug", 2, 750m)] })));

    /// <summary>
    /// A lone separator before three digits is decimals or thousands: either reading of the order's own amount passes,
    /// and a separator of the other kind before it, or a second of its own, says which it is. Three decimals ending in
    /// zero are thousands: 9,500 is not the mug's 9.50.
    /// </summary>
    [Theory]
    [InlineData("The total is 12,345 EUR.", null)]
    [InlineData("The total is 12.345 EUR.", null)]
    [InlineData("The total is 12,345.00 EUR.", null)]
    [InlineData("The total is 12.345,00 EUR.", null)]
    [InlineData("The total is 1,234.5 EUR.", ModelReplyCheck.Amount)]
    [InlineData("The total is 1,234,500 EUR.", ModelReplyCheck.Amount)]
    [InlineData("The total is 12,345.678 EUR.", ModelReplyCheck.Amount)]
    [InlineData("A goodwill credit of 9,500 EUR is yours.", ModelReplyCheck.Amount)]
    public void When_an_amount_groups_thousands_Should_read_it_as_the_order_does(string reply, string? rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, Facts with { Total = 12_345m })));

    /// <summary>
    /// The model answers in the customer's language whatever the prompt asks, so the check reads the ways other languages
    /// write an amount, a percentage and a done-claim: the shop's written word in French is as binding as in English.
    /// </summary>
    [Theory]
    [InlineData("Als Entschädigung erhalten Sie 1 009,50 €.", ModelReplyCheck.Amount)]
    [InlineData("Vous recevrez un avoir de 1 019,00 €.", ModelReplyCheck.Amount)]
    [InlineData("Vous recevrez un avoir de 1\u202F019,00\u00A0€.", ModelReplyCheck.Amount)]
    [InlineData("Sie erhalten eine Gutschrift von 1'019.00 EUR.", ModelReplyCheck.Amount)]
    [InlineData("5000円を返金します。", ModelReplyCheck.Amount)]
    [InlineData("ご返金は5000円です。", ModelReplyCheck.Amount)]
    [InlineData("５０００円を返金します。", ModelReplyCheck.Amount)]
    [InlineData("Sie erhalten ٥٠٠ € zurück.", ModelReplyCheck.Amount)]
    [InlineData("Your order ORD-234ABC comes to １９.００ EUR.", ModelReplyCheck.Amount)]
    [InlineData("Du får 500 kronor tillbaka.", ModelReplyCheck.Amount)]
    [InlineData("Otrzymasz zwrot 500 zł.", ModelReplyCheck.Amount)]
    [InlineData("Sie erhalten 20 Prozent Rabatt.", ModelReplyCheck.Amount)]
    [InlineData("Sie erhalten einen 20-prozentigen Rabatt.", ModelReplyCheck.Amount)]
    [InlineData("Vous bénéficiez de 20 pour cent de remise.", ModelReplyCheck.Amount)]
    [InlineData("Vous bénéficiez d'une remise de 20\u00A0%.", ModelReplyCheck.Amount)]
    [InlineData("Le ofrecemos un 20 por ciento de descuento.", ModelReplyCheck.Amount)]
    [InlineData("Le offriamo uno sconto del 20 per cento.", ModelReplyCheck.Amount)]
    [InlineData("U krijgt 20 procent korting.", ModelReplyCheck.Amount)]
    [InlineData("Você recebe 20 por cento de desconto.", ModelReplyCheck.Amount)]
    [InlineData("Siparişinizde %20 indirim var.", ModelReplyCheck.Amount)]
    [InlineData("Votre commande a été annulée et remboursée.", ModelReplyCheck.DoneClaim)]
    [InlineData("Ihre Bestellung wurde storniert und erstattet.", ModelReplyCheck.DoneClaim)]
    [InlineData("Su pedido ha sido cancelado y reembolsado.", ModelReplyCheck.DoneClaim)]
    [InlineData("Il suo ordine è stato annullato e rimborsato.", ModelReplyCheck.DoneClaim)]
    [InlineData("Uw bestelling is geannuleerd en terugbetaald.", ModelReplyCheck.DoneClaim)]
    [InlineData("O seu pedido foi cancelado e reembolsado.", ModelReplyCheck.DoneClaim)]
    [InlineData("Wir haben Ihre Bestellung storniert.", ModelReplyCheck.DoneClaim)]
    [InlineData("Wir haben Ihnen den Betrag gutgeschrieben.", ModelReplyCheck.DoneClaim)]
    [InlineData("Nous avons modifié votre adresse.", ModelReplyCheck.DoneClaim)]
    [InlineData("Pas de souci, votre commande a été annulée.", ModelReplyCheck.DoneClaim)]
    [InlineData("Aucun doute elle est annulée.", ModelReplyCheck.DoneClaim)]
    public void When_a_reply_in_another_language_breaks_a_rule_Should_name_it(string reply, string rule) =>
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, Facts)));

    /// <summary>A negated done-word and the order's own amounts, written the way the customer's language writes them, pass.</summary>
    [Theory]
    [InlineData("Votre commande ORD-234ABC : 2 x Mug à 9,50 €, soit 19,00 € au total.")]
    [InlineData("Ihre Bestellung: 2 x Mug zu je 9,50\u00A0€, insgesamt 19,00\u00A0€.")]
    [InlineData("Votre commande n'a pas été annulée : j'ai transmis votre demande à l'équipe, qui vous répondra par e-mail.")]
    [InlineData("Rien n'a été remboursé pour l'instant.")]
    [InlineData("Ihre Bestellung wurde noch nicht storniert; das Team meldet sich per E-Mail.")]
    [InlineData("Wir haben Ihre Bestellung nicht storniert.")]
    [InlineData("Su pedido todavía no ha sido cancelado.")]
    [InlineData("Il suo ordine non è ancora stato annullato.")]
    [InlineData("Uw bestelling is nog niet geannuleerd.")]
    [InlineData("O seu pedido ainda não foi cancelado.")]
    public void When_a_reply_in_another_language_keeps_to_the_facts_Should_pass_it(string reply) =>
        Assert.Null(ModelReplyCheck.BrokenRule(reply, Request(Intent.Cancel, Facts)));

    /// <summary>
    /// 1 x Chair at 250.00: an amount grouped by a space, a no-break or thin space, or an apostrophe is one number, so a
    /// credit of 1 250,00 is not the chair's 250,00 behind a stray 1; the order's own total in any of those ways passes.
    /// </summary>
    [Theory]
    [InlineData("Vous recevrez un avoir de 1 250,00 €.", "EUR", "250", ModelReplyCheck.Amount)]
    [InlineData("Vous recevrez un avoir de 1\u00A0250,00 €.", "EUR", "250", ModelReplyCheck.Amount)]
    [InlineData("Vous recevrez un avoir de 1\u202F250,00\u00A0€.", "EUR", "250", ModelReplyCheck.Amount)]
    [InlineData("Vous recevrez un avoir de 1\u2009250,00 €.", "EUR", "250", ModelReplyCheck.Amount)]
    [InlineData("Sie erhalten eine Gutschrift von 1'250.00 CHF.", "CHF", "250", ModelReplyCheck.Amount)]
    [InlineData("Sie erhalten eine Gutschrift von 1’250.00 CHF.", "CHF", "250", ModelReplyCheck.Amount)]
    [InlineData("Le total de votre commande est de 250,00 €.", "EUR", "250", null)]
    [InlineData("Der Gesamtbetrag beträgt 250,00\u00A0€.", "EUR", "250", null)]
    [InlineData("Le total de votre commande est de 1 250,00 €.", "EUR", "1250", null)]
    [InlineData("Le total de votre commande est de 1\u202F250,00\u00A0€.", "EUR", "1250", null)]
    [InlineData("Der Gesamtbetrag beträgt 1'250.00 CHF.", "CHF", "1250", null)]
    [InlineData("Der Gesamtbetrag beträgt 1 250 CHF.", "CHF", "1250", null)]
    [InlineData("Der Gesamtbetrag beträgt 12 500 CHF.", "CHF", "1250", ModelReplyCheck.Amount)]
    public void When_an_amount_groups_thousands_with_a_space_or_an_apostrophe_Should_read_one_number(string reply, string currency, string price, string? rule)
    {
        var chair = decimal.Parse(price, CultureInfo.InvariantCulture);
        var facts = Facts with { Currency = currency, Total = chair, Items = [new OrderFactsItem("Chair", 1, chair)] };
        Assert.Equal(rule, ModelReplyCheck.BrokenRule(reply, Request(Intent.Other, facts)));
    }

    private static ReplyRequest Request(Intent intent, OrderFacts? facts) =>
        new(intent, facts, "Question", "Hello", "Jane.Doe@example.com", "inbox_jane@agentmail.to");
}

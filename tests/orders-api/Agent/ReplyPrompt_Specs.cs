using OrdersMail.OrdersApi.Agent;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The model's prompt as <see cref="ReplyPrompt"/> builds it: what the customer wrote bounded, the order's amounts as the customer reads them.</summary>
public sealed class ReplyPrompt_Specs
{
    private static readonly OrderFacts Dinars = new(
        "ORD-234ABC", "placed", "Jane", "KWD", 12.345m, [new OrderFactsItem("Lamp", 1, 12.345m)], "jane.7k3q@agentmail.to", "delivered");

    /// <summary>
    /// A folded Subject header runs to any length: all of it was billed on every message, and past the model's context
    /// failed the call. The model gets its first 300 characters (the README's bound) and a mark that it was cut.
    /// </summary>
    [Fact]
    public void When_the_subject_is_10000_characters_Should_give_the_model_its_start_marked_as_cut()
    {
        var subject = string.Concat(Enumerable.Repeat("Where is my order ", 600))[..10_000];

        var user = ReplyPrompt.For(Request(subject))[1];

        Assert.Equal("user", user.Role);
        Assert.Equal($"{ReplyPrompt.EmailStart}\nSubject: {subject[..300]} [...]\n\nHello\n{ReplyPrompt.EmailEnd}", user.Content);
    }

    [Fact]
    public void When_the_subject_is_within_the_bound_Should_give_it_whole()
    {
        var subject = new string('s', 300);

        var user = ReplyPrompt.For(Request(subject))[1];

        Assert.Equal($"{ReplyPrompt.EmailStart}\nSubject: {subject}\n\nHello\n{ReplyPrompt.EmailEnd}", user.Content);
    }

    /// <summary>A text cut at its bound inside an emoji keeps no lone half of it, which the model would read as a "�".</summary>
    [Fact]
    public void When_the_text_is_cut_inside_an_emoji_Should_cut_before_the_emoji()
    {
        var text = new string('a', ReplyPrompt.MaxTextLength - 1) + string.Concat(Enumerable.Repeat("\U0001F600", 5));

        var user = ReplyPrompt.For(Request("Hi") with { Text = text })[1];

        Assert.Equal($"{ReplyPrompt.EmailStart}\nSubject: Hi\n\n{text[..(ReplyPrompt.MaxTextLength - 1)]} [...]\n{ReplyPrompt.EmailEnd}", user.Content);
    }

    /// <summary>The model's facts name 12.345 KWD as the confirmation does, not 12.35 KWD, which it would repeat to the customer.</summary>
    [Fact]
    public void When_the_order_has_three_decimals_Should_give_the_model_its_amounts_unrounded()
    {
        var system = ReplyPrompt.For(Request("Where is it?"))[0];

        Assert.Contains("- Item: 1 x Lamp at 12.345 KWD\n", system.Content, StringComparison.Ordinal);
        Assert.Contains("- Total: 12.345 KWD\n", system.Content, StringComparison.Ordinal);
    }

    /// <summary>The model is told a person reads the email only when it was handed to one, as the rule-based reply says.</summary>
    [Theory]
    [InlineData(true, "it was passed to the team")]
    [InlineData(false, "do not say that anyone will")]
    public void When_an_email_asks_nothing_the_rules_know_Should_tell_the_model_whether_a_person_reads_it(bool handedOff, string told)
    {
        var system = ReplyPrompt.For(Request("Hallo") with { Intent = Intent.Other, HandedOff = handedOff })[0];

        Assert.Contains(told, system.Content, StringComparison.Ordinal);
    }

    /// <summary>
    /// The shop answers in English, as the rule-based reply does: a model answering a French email in French writes
    /// amounts and promises the check reads less surely than English ones.
    /// </summary>
    [Fact]
    public void When_the_customer_writes_in_another_language_Should_ask_the_model_for_english()
    {
        var system = ReplyPrompt.For(Request("Où est ma commande ?") with { Text = "Bonjour, où en est ma commande ?" })[0];

        Assert.Contains("Write in English, whatever language the customer writes in.", system.Content, StringComparison.Ordinal);
    }

    private static ReplyRequest Request(string subject) => new(Intent.WhereIsMyOrder, Dinars, subject, "Hello", "jane.doe@example.com", "inbox_jane@agentmail.to");
}

using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Tests.Conversation;

public sealed class SenderVerification_Specs
{
    private const string OrderAddress = "jane.doe@example.com";

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("JANE.DOE@Example.COM")]
    [InlineData("Jane Doe <jane.doe@example.com>")]
    [InlineData("\"Doe, Jane\" <Jane.Doe@EXAMPLE.com>")]
    [InlineData("<jane.doe@example.com>")]
    [InlineData("  jane.doe@example.com  ")]
    [InlineData("Jane \"JD\" Doe <jane.doe@example.com>")]
    [InlineData("\"Jane \\\"JD\\\" Doe\" <jane.doe@example.com>")]
    [InlineData("Jane Doe (work) <jane.doe@example.com>")]
    [InlineData("jane.doe@example.com (Jane Doe)")]
    [InlineData("=?utf-8?q?Jane_D=C3=B6e?= <jane.doe@example.com>")]
    public void When_the_sender_is_the_orders_address_in_any_case_or_form_Should_be_verified(string from) =>
        Assert.True(SenderVerification.IsCustomer(from, OrderAddress));

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("jane.doe@example.com.attacker.test")]
    [InlineData("\"jane.doe@example.com\" <mallory@attacker.test>")]
    [InlineData("=?utf-8?q?jane=2Edoe=40example=2Ecom?= <mallory@attacker.test>")]
    [InlineData("jane.doe@example.com <mallory@attacker.test>")]
    [InlineData("jane.doe@example.com, mallory@attacker.test")]
    [InlineData("mallory@attacker.test, jane.doe@example.com")]
    [InlineData("Mallory <mallory@attacker.test>, Jane Doe <jane.doe@example.com>")]
    [InlineData("Jane Doe <jane.doe@example.com>,\r\n Mallory <mallory@attacker.test>")]
    [InlineData("Customers: jane.doe@example.com;")]
    [InlineData("Jane Doe <jane.doe@example.com")]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData(null)]
    public void When_the_sender_is_anyone_else_Should_not_be_verified(string? from) =>
        Assert.False(SenderVerification.IsCustomer(from, OrderAddress));

    [Fact]
    public void When_the_order_has_no_usable_address_Should_verify_nobody() =>
        Assert.False(SenderVerification.IsCustomer("", ""));

    [Theory]
    [InlineData("Jane <jane@bücher.example>")]
    [InlineData("Jane <jane@xn--bcher-kva.example>")]
    public void When_an_internationalised_domain_is_spelled_either_way_Should_be_verified(string from) =>
        Assert.True(SenderVerification.IsCustomer(from, "jane@xn--bcher-kva.example"));

    /// <summary>
    /// A domain in capitals or full width names the mailbox its mail client sends from, as placement stores it; and an
    /// order stored before placement mapped capitals (Anna@xn--mller-2pa.de, the punycode of MÜller) matches it too.
    /// </summary>
    [Theory]
    [InlineData("Anna <anna@MÜLLER.DE>", "anna@xn--mller-kva.de")]
    [InlineData("anna@müller.de", "anna@xn--mller-kva.de")]
    [InlineData("anna@müller.de", "Anna@xn--mller-2pa.de")]
    [InlineData("Jane <jane@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com>", "jane@example.com")]
    [InlineData("Anna <anna@xn--k-ubbe594z6ca.ng>", "anna@xn--k-ubbe594z6ca.ng")]
    [InlineData("Anna <anna@\u1EB9\u0300k\u1ECD\u0301.ng>", "anna@xn--k-ubbe594z6ca.ng")]
    public void When_the_domain_is_typed_in_capitals_or_full_width_Should_be_verified(string from, string customerEmail) =>
        Assert.True(SenderVerification.IsCustomer(from, customerEmail));

    [Theory]
    [InlineData("Robert \"Bob\" Smith <bob@x.example>", "bob@x.example")]
    [InlineData("Jörg <jörg@bücher.example>", "jörg@xn--bcher-kva.example")]
    [InlineData("Anna <anna@MÜLLER.DE>", "anna@xn--mller-kva.de")]
    [InlineData("Anna <anna@mu\u0308ller.de>", null)]
    [InlineData("Bob <bob@x.example>, Alice <a@x.example>", null)]
    [InlineData("undisclosed-recipients:;", null)]
    public void When_the_sender_is_read_Should_give_the_one_mailboxs_address_as_sent_to(string from, string? address) =>
        Assert.Equal(address, SenderVerification.AddressOf(from));

    /// <summary>RFC 5321's 254 octets, counted in UTF-8 (an internationalised local part's "ö" is two).</summary>
    [Theory]
    [InlineData(244, "o", true)]
    [InlineData(245, "o", false)]
    [InlineData(122, "ö", true)]
    [InlineData(123, "ö", false)]
    public void When_the_address_is_about_as_long_as_mail_can_be_sent_to_Should_give_it_only_within_254_octets(int repeats, string letter, bool answerable)
    {
        var from = $"Jane <{string.Concat(Enumerable.Repeat(letter, repeats))}@x.example>";

        Assert.Equal(answerable, SenderVerification.AddressOf(from) is not null);
        Assert.Equal(!answerable, SenderVerification.IsOverlong(from));
    }
}

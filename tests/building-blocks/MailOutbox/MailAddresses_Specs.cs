using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.BuildingBlocks.Tests.MailOutbox;

/// <summary>The addresses the relay sends to, and how it writes them for a header.</summary>
public sealed class MailAddresses_Specs
{
    /// <summary>A line break in a name would end the header and start another (a Bcc of the sender's choosing).</summary>
    [Theory]
    [InlineData("Shop\r\nBcc: all@example.com <orders@shop.example>")]
    [InlineData("Shop\n <orders@shop.example>")]
    [InlineData("Shop\u0000 <orders@shop.example>")]
    public void When_a_name_holds_a_control_character_Should_not_be_sendable(string value) =>
        Assert.False(MailAddresses.IsSendable(value));

    [Theory]
    [InlineData("orders@shop.example")]
    [InlineData("Shop <orders@shop.example>")]
    [InlineData("Shop, Inc. <orders@shop.example>")]
    [InlineData("\"Shop, Inc.\" <orders@shop.example>")]
    [InlineData("Café Müller <orders@shop.example>")]
    public void When_a_name_is_text_on_one_line_Should_be_sendable(string value) =>
        Assert.True(MailAddresses.IsSendable(value));

    /// <summary>RFC 5322's specials need quotes in a name; a comma outside them makes the header two mailboxes.</summary>
    [Theory]
    [InlineData("Shop, Inc. <orders@shop.example>", "\"Shop, Inc.\" <orders@shop.example>")]
    [InlineData("  Shop (EU)   <orders@shop.example> ", "\"Shop (EU)\" <orders@shop.example>")]
    [InlineData("J. Smith <j@shop.example>", "\"J. Smith\" <j@shop.example>")]
    [InlineData("a@b <orders@shop.example>", "\"a@b\" <orders@shop.example>")]
    [InlineData("[Shop]: Orders; <orders@shop.example>", "\"[Shop]: Orders;\" <orders@shop.example>")]
    [InlineData("Joe \"The Shop <orders@shop.example>", "\"Joe \\\"The Shop\" <orders@shop.example>")]
    [InlineData("\"Acme\" Inc <orders@shop.example>", "\"\\\"Acme\\\" Inc\" <orders@shop.example>")]
    [InlineData("C:\\Shop, Ltd <orders@shop.example>", "\"C:\\\\Shop, Ltd\" <orders@shop.example>")]
    public void When_a_name_holds_a_special_Should_write_it_as_a_quoted_string(string value, string header) =>
        Assert.Equal(header, MailAddresses.ForHeader(value));

    [Theory]
    [InlineData("orders@shop.example")]
    [InlineData("<orders@shop.example>")]
    [InlineData("Shop <orders@shop.example>")]
    [InlineData("Shop-Mail_2 <orders@shop.example>")]
    [InlineData("\"Shop, Inc.\" <orders@shop.example>")]
    [InlineData("\"Joe \\\"The Shop\\\"\" <orders@shop.example>")]
    public void When_a_name_needs_no_quotes_or_has_them_Should_leave_the_address_as_it_is(string value) =>
        Assert.Equal(value, MailAddresses.ForHeader(value));
}

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
    public void When_the_sender_is_the_orders_address_in_any_case_or_form_Should_be_verified(string from) =>
        Assert.True(SenderVerification.IsCustomer(from, OrderAddress));

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("jane.doe@example.com.attacker.test")]
    [InlineData("\"jane.doe@example.com\" <mallory@attacker.test>")]
    [InlineData("jane.doe@example.com <mallory@attacker.test>")]
    [InlineData("jane.doe@example.com, mallory@attacker.test")]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData(null)]
    public void When_the_sender_is_anyone_else_Should_not_be_verified(string? from) =>
        Assert.False(SenderVerification.IsCustomer(from, OrderAddress));

    [Fact]
    public void When_the_order_has_no_usable_address_Should_verify_nobody() =>
        Assert.False(SenderVerification.IsCustomer("", ""));
}

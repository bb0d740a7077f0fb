using System.Globalization;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>
/// Amounts as orders-api writes them: the currency's ISO 4217 minor digits at least, up to the four stored, never
/// rounded.
/// </summary>
public sealed class MoneyText_Specs
{
    [Theory]
    [InlineData("1500", "JPY", "1500 JPY")]
    [InlineData("1500.5", "JPY", "1500.5 JPY")]
    [InlineData("990", "KRW", "990 KRW")]
    [InlineData("12.5", "KWD", "12.500 KWD")]
    [InlineData("0.345", "KWD", "0.345 KWD")]
    [InlineData("12.3456", "BHD", "12.3456 BHD")]
    [InlineData("19", "EUR", "19.00 EUR")]
    [InlineData("12.345", "EUR", "12.345 EUR")]
    [InlineData("0.0125", "USD", "0.0125 USD")]
    public void When_an_amount_is_written_Should_have_its_currencys_decimals_and_no_fewer_than_it_holds(string amount, string currency, string text) =>
        Assert.Equal(text, MoneyText.Of(decimal.Parse(amount, CultureInfo.InvariantCulture), currency));
}

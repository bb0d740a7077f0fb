using System.Globalization;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// An amount as every text orders-api writes shows it (the confirmation, the agent's reply and the model's facts, the
/// timeline): one way, so no two of them name one order's total differently.
/// </summary>
public static class MoneyText
{
    /// <summary>
    /// <paramref name="amount"/> and <paramref name="currency"/>: the currency's ISO 4217 decimals
    /// (<see cref="Iso4217Currencies.MinorDigits"/>: 1500 JPY, 19.00 EUR, 12.500 KWD), or as many as the amount has up to
    /// the four stored (<see cref="PlaceOrderValidation.MaxDecimals"/>), so 12.345 EUR is never rounded to 12.35 EUR nor
    /// 1500.5 JPY to 1501 JPY.
    /// </summary>
    public static string Of(decimal amount, string currency)
    {
        var digits = Iso4217Currencies.MinorDigits(currency);
        var format = $"0.{new string('0', digits)}{new string('#', PlaceOrderValidation.MaxDecimals - digits)}";
        return $"{amount.ToString(format, CultureInfo.InvariantCulture)} {currency}";
    }
}

using System.Globalization;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// An amount as every text orders-api writes shows it (the confirmation, the agent's reply and the model's facts, the
/// timeline): one way, so no two of them name one order's total differently.
/// </summary>
public static class MoneyText
{
    /// <summary>
    /// <paramref name="amount"/> and <paramref name="currency"/>: two decimals, or as many as the amount has up to the
    /// four stored (<see cref="PlaceOrderValidation.MaxDecimals"/>), so 12.345 KWD is never rounded to 12.35 KWD.
    /// </summary>
    public static string Of(decimal amount, string currency) => $"{amount.ToString("0.00##", CultureInfo.InvariantCulture)} {currency}";
}

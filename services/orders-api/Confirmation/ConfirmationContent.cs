namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>An order as its confirmation shows it.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderRef">Its human reference.</param>
/// <param name="CustomerEmail">Where the confirmation goes.</param>
/// <param name="CustomerName">How the customer is greeted, if known.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Total">The order's total.</param>
/// <param name="EmailId">The confirmation's email id.</param>
/// <param name="ReplyTo">The Reply-To the claim settled on.</param>
/// <param name="TraceParent">The order's trace (its placement), which a confirmation written outside any trace continues.</param>
public sealed record ConfirmationOrder(
    Guid OrderId, string OrderRef, string CustomerEmail, string? CustomerName, string Currency, decimal Total, Guid EmailId, string ReplyTo, string? TraceParent = null)
{
    /// <summary>The order's lines, in order.</summary>
    public IReadOnlyList<ConfirmationLine> Lines { get; init; } = [];
}

/// <summary>One line of an order.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Sku">Stock keeping unit.</param>
/// <param name="Name">What it is.</param>
/// <param name="Quantity">How many.</param>
/// <param name="UnitPrice">Price of one.</param>
public sealed record ConfirmationLine(Guid OrderId, string Sku, string Name, int Quantity, decimal UnitPrice);

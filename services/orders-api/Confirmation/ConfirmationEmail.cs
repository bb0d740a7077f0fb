using System.Globalization;
using System.Text;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>The confirmation as an outbox file: to the customer, the reference in the subject, a plain-text body with every line and the total.</summary>
public static class ConfirmationEmail
{
    /// <summary>The email for <paramref name="order"/>; <paramref name="traceParent"/> joins its sending to this trace.</summary>
    public static OutboxEmail Compose(ConfirmationOrder order, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(order);
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Hello {order.CustomerName ?? "there"},\n\n")
            .Append(CultureInfo.InvariantCulture, $"Thank you for your order {order.OrderRef}. Here is what you ordered:\n\n");
        foreach (var line in order.Lines)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"  {line.Quantity} x {line.Name} ({line.Sku}) at {MoneyText.Of(line.UnitPrice, order.Currency)} = {MoneyText.Of(line.Quantity * line.UnitPrice, order.Currency)}\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"\nTotal: {MoneyText.Of(order.Total, order.Currency)}\n\n")
            .Append("Questions about your order? Just reply to this email.\n");

        return new OutboxEmail
        {
            To = [order.CustomerEmail],
            Subject = $"Your order {order.OrderRef} is confirmed",
            Body = body.ToString(),
            ReplyTo = order.ReplyTo,
            EmailId = order.EmailId,
            OrderId = order.OrderId,
            OrderRef = order.OrderRef,
            Kind = OutboxEmailKinds.OrderConfirmation,
            TraceParent = traceParent,
        };
    }
}

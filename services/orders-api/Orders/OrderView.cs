using OrdersMail.OrdersApi.Emails;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>An order as its owner sees it: what was ordered, and what the rest of the system reported about it since.</summary>
/// <param name="Id">The order's id (the one in <c>/api/orders/{id}</c>).</param>
/// <param name="OrderRef">The human reference, e.g. <c>ORD-7K3Q9X</c>.</param>
/// <param name="Status">The order's status (<c>placed</c>).</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="CustomerEmail">The customer's address.</param>
/// <param name="CustomerName">The customer's name, if given.</param>
/// <param name="Currency">The ISO 4217 code of every amount.</param>
/// <param name="Items">The lines, in the order given.</param>
/// <param name="Total">The sum of the lines.</param>
/// <param name="TotalText">The total with its currency, as the confirmation writes it (<see cref="MoneyText"/>): exact, as <see cref="OrderItemView.AmountText"/>.</param>
/// <param name="ReplyAddress">The customer's own inbox, once provisioned: replies to the order's emails go there.</param>
/// <param name="Provisioning">Where provisioning that inbox stands.</param>
/// <param name="Emails">
/// The order's newest outbound emails (at most <see cref="OrderReader.MaxEmails"/>) and their delivery state, oldest first;
/// <c>GET /api/orders/{id}/emails</c> pages through them all.
/// </param>
/// <param name="EmailCount">All the order's outbound emails, those <paramref name="Emails"/> leaves out too.</param>
/// <param name="MessageCount">Messages in the order's conversation, archived ones too; <c>GET /api/orders/{id}/messages</c> pages through them.</param>
/// <param name="UnreadCount">Of those, the ones neither read nor archived.</param>
public sealed record OrderView(
    Guid Id,
    string OrderRef,
    string Status,
    DateTimeOffset CreatedAt,
    string CustomerEmail,
    string? CustomerName,
    string Currency,
    IReadOnlyList<OrderItemView> Items,
    decimal Total,
    string TotalText,
    string? ReplyAddress,
    ProvisioningView Provisioning,
    IReadOnlyList<OrderEmailView> Emails,
    int EmailCount,
    int MessageCount,
    int UnreadCount);

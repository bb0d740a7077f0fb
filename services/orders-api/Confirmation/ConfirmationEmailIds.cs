using OrdersMail.BuildingBlocks.Ids;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// The confirmation's email id, derived from the order (an RFC 9562 version 5 UUID, SHA-1 of a namespace and the
/// order id): whoever writes it, however often after a crash, writes the same id, which the relay sends once.
/// </summary>
public static class ConfirmationEmailIds
{
    // OrdersMail's namespace for order confirmations; changing it would give every order a second id.
    private static readonly Guid Namespace = new("5c1b3f0e-7a52-4f5e-9d0e-2f6f3b8a9c41");

    /// <summary>The confirmation email id of <paramref name="orderId"/>.</summary>
    public static Guid For(Guid orderId) => NameBasedGuid.Create(Namespace, orderId.ToString("D"));
}

using System.Text.Json.Serialization;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>Where provisioning the customer's inbox for an order stands.</summary>
/// <param name="State"><c>pending</c>, <c>ready</c> or <c>failed</c>.</param>
/// <param name="Detail">
/// When it failed, a sentence saying what kind of failure it was, the same for every customer; never the provisioner's
/// reason, which may name another customer's inbox (ops read it at GET /provisioning/{orderId}).
/// </param>
public sealed record ProvisioningView(
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);

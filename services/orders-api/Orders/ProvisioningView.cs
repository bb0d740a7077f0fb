using System.Text.Json.Serialization;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>Where provisioning the customer's inbox for an order stands.</summary>
/// <param name="State"><c>pending</c>, <c>ready</c> or <c>failed</c>.</param>
/// <param name="Detail">Why it failed, when it did.</param>
public sealed record ProvisioningView(
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);

using System.Text.Json.Serialization;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>One page of <c>GET /api/orders/{id}/emails</c>: the order's outbound emails, oldest first.</summary>
/// <param name="Emails">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; absent on the last one.</param>
public sealed record OrderEmailPage(
    IReadOnlyList<OrderEmailView> Emails,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);

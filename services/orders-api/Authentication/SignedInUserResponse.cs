using System.Text.Json.Serialization;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>The body of <c>GET /api/me</c>.</summary>
/// <param name="UserId">Clerk's user id, the token's <c>sub</c>.</param>
/// <param name="SessionId">Clerk's session id, the token's <c>sid</c>.</param>
public sealed record SignedInUserResponse(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("session_id")] string SessionId);

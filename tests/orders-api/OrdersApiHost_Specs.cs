using OrdersMail.OrdersApi;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.OrdersApi.Tests;

/// <summary>The orders-api host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class OrdersApiHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, OrdersApiService.Info, Routes), IClassFixture<TestInfrastructure>
{
    private const string Message = "/api/orders/{id}/messages/{messageId}";

    private static readonly Dictionary<string, int[]> Routes = new()
    {
        ["POST /api/orders"] = [200, 201, 400, 401, 409, 413, 415, 429, 503],
        ["GET /api/orders"] = [200, 400, 401, 503],
        ["GET /api/orders/{id}"] = [200, 401, 404, 503],
        ["GET /api/orders/{id}/timeline"] = [200, 304, 401, 404, 503],
        ["GET /api/orders/{id}/emails"] = [200, 400, 401, 404, 503],
        ["GET /api/orders/{id}/messages"] = [200, 400, 401, 404, 503],
        ["GET /api/orders/{id}/messages/unread-count"] = [200, 401, 404, 503],
        [$"GET {Message}"] = [200, 401, 404, 503],
        [$"PATCH {Message}/labels"] = [200, 400, 401, 404, 413, 415, 503],
        [$"PATCH {Message}/read"] = [200, 400, 401, 404, 413, 415, 503],
        [$"PATCH {Message}/archive"] = [200, 400, 401, 404, 409, 413, 415, 503],
        ["GET /api/me"] = [200, 401, 503],
        ["GET /orders/{id}"] = [200, 401, 404, 503],
        ["GET /agent/handoffs"] = [200, 400, 401, 503],
        ["POST /agent/handoffs/{messageId}/done"] = [204, 400, 401, 404, 503],
        ["POST /confirmations/{orderId}/write-again"] = [202, 400, 401, 404, 409, 503],
        ["POST /agent/replies/{orderId}/write-again"] = [202, 400, 401, 404, 409, 503],
    };

    // It reads only the token.
    protected override IReadOnlySet<string> RoutesWithoutDatabase { get; } = new HashSet<string> { "GET /api/me" };
}

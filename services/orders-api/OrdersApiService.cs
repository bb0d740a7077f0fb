using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.OrdersApi;

/// <summary>orders-api: the web app's gateway; owns orders, their reply addresses, emails and conversations.</summary>
public static class OrdersApiService
{
    /// <summary>The service's identity for the shared plumbing: name, port 5100, schema <c>orders</c>.</summary>
    public static readonly ServiceInfo Info = new(
        Name: "orders-api",
        ConfigurationSection: "OrdersApi",
        DefaultPort: 5100,
        Schema: "orders",
        ComponentsAssembly: typeof(OrdersApiService).Assembly);
}

using OrdersMail.OrdersApi;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.OrdersApi.Tests;

/// <summary>The orders-api host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class OrdersApiHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, OrdersApiService.Info), IClassFixture<TestInfrastructure>;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Orders;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.OrdersApi.Tests.Outbox;

/// <summary>What the outbox specs run against: the orders schema on the test database, and a probe host on the test vhost.</summary>
internal static class OutboxTestHosts
{
    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A data source on the test database with orders-api's schema migrated as the service migrates it (its own
    /// migrations, then the outbox's and processed messages') and first on the search path, as the service has it.
    /// </summary>
    public static async Task<NpgsqlDataSource> OrdersSchemaAsync(TestInfrastructure infrastructure)
    {
        var schema = OrdersApiService.Info.Schema;
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(infrastructure.Database.ConnectionString) { SearchPath = schema }.ConnectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(
                schema,
                [MigrationSource.Service(Migration.LoadFrom(OrdersApiService.Info.ComponentsAssembly)), OutboxExtensions.Migrations, ProcessedMessagesExtensions.Migrations],
                MigrationTimeout,
                CancellationToken.None);
        return dataSource;
    }

    /// <summary>Starts a host consuming <c>OrderCreated</c> with an <see cref="OrderCreatedProbe"/>, ready once it returns.</summary>
    public static Task<TestServiceHost> ProbeAsync(
        string name, TestInfrastructure infrastructure, MessageDeliveries<OrderCreated> deliveries, IReadOnlyDictionary<string, string?>? settings = null) =>
        TestServiceHost.StartAsync(
            TestServiceHost.Identity(name, typeof(OutboxTestHosts).Assembly),
            infrastructure,
            bus => bus.AddConsumer<OrderCreatedProbe>(),
            settings,
            services => services.AddSingleton(deliveries));
}

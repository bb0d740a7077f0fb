using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>What the outbox specs run against: a schema with the building blocks' tables, and a probe host on the test vhost.</summary>
internal static class OutboxTestHosts
{
    /// <summary>The schema the relay specs' rows live in.</summary>
    public const string Schema = "outbox_specs";

    /// <summary>The messages the specs' outbox carries.</summary>
    public static readonly OutboxMessageTypes Messages = new(typeof(Parcel));

    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A data source on the test database with <paramref name="schema"/> migrated as a service calling AddOutbox and
    /// AddProcessedMessages has it, and first on the search path, as the service has it.
    /// </summary>
    public static async Task<NpgsqlDataSource> OutboxSchemaAsync(TestInfrastructure infrastructure, string schema = Schema)
    {
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(infrastructure.Database.ConnectionString) { SearchPath = schema }.ConnectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(schema, [OutboxExtensions.Migrations, ProcessedMessagesExtensions.Migrations], MigrationTimeout, CancellationToken.None);
        return dataSource;
    }

    /// <summary>Starts a host consuming <see cref="Parcel"/> with a <see cref="ParcelProbe"/>, ready once it returns.</summary>
    public static Task<TestServiceHost> ProbeAsync(string name, TestInfrastructure infrastructure, MessageDeliveries<Parcel> deliveries) =>
        TestServiceHost.StartAsync(
            TestServiceHost.Identity(name, typeof(OutboxTestHosts).Assembly),
            infrastructure,
            bus => bus.AddConsumer<ParcelProbe>(),
            services: services => services.AddSingleton(deliveries));

    /// <summary>Writes <paramref name="count"/> parcels into the outbox in one transaction; returns their row ids and the parcels.</summary>
    public static async Task<(IReadOnlyList<Guid> Ids, IReadOnlyList<Parcel> Messages)> WritePendingAsync(NpgsqlDataSource dataSource, int count)
    {
        var parcels = Enumerable.Range(0, count).Select(i => new Parcel(Guid.NewGuid(), $"parcel {i}", DateTimeOffset.UtcNow)).ToList();
        var writer = new OutboxWriter(Messages, new OutboxSignal());
        var ids = new List<Guid>(count);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var parcel in parcels)
        {
            ids.Add(await writer.AddAsync(transaction, parcel, CancellationToken.None));
        }

        await transaction.CommitAsync();
        return (ids, parcels);
    }
}

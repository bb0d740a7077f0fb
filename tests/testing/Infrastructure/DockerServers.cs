using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Messaging;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// PostgreSQL and RabbitMQ in containers (Testcontainers), with the same users and passwords the services are
/// configured with, on ports Docker maps. Started once per test process; Testcontainers' reaper removes them
/// when the process ends.
/// </summary>
public static class DockerServers
{
    /// <summary>The PostgreSQL the local path runs too (Debian 12's postgresql-15).</summary>
    public const string PostgresImage = "postgres:15";

    /// <summary>The RabbitMQ the local path runs (Debian 12's rabbitmq-server 3.10), with the management API the fixtures create vhosts through.</summary>
    public const string RabbitMqImage = "rabbitmq:3.10-management";

    private const ushort ManagementPort = 15672;

    /// <summary>Starts both containers and points <paramref name="postgres"/> and <paramref name="rabbitMq"/> at them.</summary>
    public static async Task<TestServers> StartAsync(PostgresOptions postgres, RabbitMqOptions rabbitMq)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(rabbitMq);
        var database = new PostgreSqlBuilder(PostgresImage)
            .WithUsername(postgres.Username)
            .WithPassword(postgres.Password)
            .WithDatabase(postgres.Database)
            .Build();
        var broker = new RabbitMqBuilder(RabbitMqImage)
            .WithUsername(rabbitMq.Username)
            .WithPassword(rabbitMq.Password)
            .WithPortBinding(ManagementPort, assignRandomHostPort: true)
            .Build();
        await Task.WhenAll(database.StartAsync(), broker.StartAsync());

        postgres.Host = database.Hostname;
        postgres.Port = database.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort);
        rabbitMq.Host = broker.Hostname;
        rabbitMq.Port = broker.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort);
        rabbitMq.ManagementPort = broker.GetMappedPublicPort(ManagementPort);
        return new TestServers(
            postgres,
            rabbitMq,
            $"Testcontainers (docker): {PostgresImage} on {postgres.Host}:{postgres.Port}, {RabbitMqImage} on {rabbitMq.Host}:{rabbitMq.Port} (management {rabbitMq.ManagementPort})");
    }
}

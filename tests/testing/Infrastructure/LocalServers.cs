using Microsoft.Extensions.Configuration;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// The local path of <see cref="TestServers"/>: the PostgreSQL and RabbitMQ deploy/local/infra.sh runs, at the
/// addresses the <c>ORDERSMAIL_</c> variables give (the defaults otherwise). When they are not running (someone
/// just typed <c>dotnet test</c>), the first test to need them starts them with that same script; they are left
/// running for the next run (<c>deploy/local/infra.sh stop</c> ends them).
/// </summary>
public static class LocalServers
{
    private static readonly IConfiguration Environment = new ConfigurationBuilder()
        .AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix)
        .Build();

    /// <summary>Where PostgreSQL is, as the services would see it.</summary>
    public static PostgresOptions Postgres => Environment.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();

    /// <summary>Where RabbitMQ is, as the services would see it.</summary>
    public static RabbitMqOptions RabbitMq => Environment.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();

    /// <summary>Makes sure both servers run (the script is idempotent and serialises concurrent test processes) and says where they are.</summary>
    public static async Task<TestServers> StartAsync()
    {
        await ScriptRunner.RunAsync("deploy/local/infra.sh", ["start"], null, TimeSpan.FromMinutes(5));
        var postgres = Postgres;
        var rabbitMq = RabbitMq;
        return new TestServers(postgres, rabbitMq, $"local Debian binaries (deploy/local/infra.sh) on {postgres.Host}:{postgres.Port}/{rabbitMq.Port}");
    }
}

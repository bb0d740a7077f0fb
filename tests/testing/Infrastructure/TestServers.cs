using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// The PostgreSQL and RabbitMQ every test class gets its database and vhost on: containers when a Docker engine
/// answers, the local Debian binaries otherwise (<see cref="TestServerChoice"/>). Chosen and started once per
/// test process, which says on standard error which it took.
/// </summary>
/// <param name="Postgres">Where PostgreSQL is (its default database is the configured one).</param>
/// <param name="RabbitMq">Where RabbitMQ and its management API are.</param>
/// <param name="Description">Which servers these are and where, for the test output.</param>
public sealed record TestServers(PostgresOptions Postgres, RabbitMqOptions RabbitMq, string Description)
{
    private static readonly Lazy<Task<TestServers>> Started = new(StartAsync);

    /// <summary>The servers, started on the first call; a failure to start fails every later call the same way.</summary>
    public static Task<TestServers> EnsureStartedAsync() => Started.Value;

    private static async Task<TestServers> StartAsync()
    {
        var kind = await TestServerChoice.ChooseAsync(Environment.GetEnvironmentVariable(TestServerChoice.Variable), DockerEngine.AnswersAsync);
        var servers = kind == TestServerKind.Docker
            ? await DockerServers.StartAsync(LocalServers.Postgres, LocalServers.RabbitMq)
            : await LocalServers.StartAsync();

        // The test host's standard error reaches the console and tests/run.sh's log: the one place a run says which path it took.
        await Console.Error.WriteLineAsync($"Test servers: {servers.Description}");
        return servers;
    }
}

using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// A class fixture giving a test class a fresh database and a fresh RabbitMQ vhost on the real servers
/// (<see cref="TestServers"/>: containers or the local binaries), and the settings that point a service host at
/// them, with a mail outbox of its own. All are removed when the class is done.
/// </summary>
public sealed class TestInfrastructure : IAsyncLifetime
{
    private TestServers? _servers;
    private TestDatabase? _database;

    /// <summary>The test class's own database.</summary>
    public TestDatabase Database => _database ?? throw NotInitialised();

    /// <summary>The test class's own vhost.</summary>
    public string VirtualHost { get; } = $"test-{Guid.NewGuid():N}";

    /// <summary>
    /// The test class's own mail outbox, an absolute path as the services require (a class whose hosts share one with a
    /// relay of its own sets its own <c>MailOutbox:Directory</c> over it).
    /// </summary>
    public string MailOutbox { get; } = Path.Combine(Path.GetTempPath(), $"ordersmail-test-outbox-{Guid.NewGuid():N}");

    /// <summary>The broker (the test vhost is in <see cref="Settings"/>).</summary>
    public RabbitMqOptions RabbitMq => Servers.RabbitMq;

    /// <summary>The database server (the test database is in <see cref="Settings"/>).</summary>
    public PostgresOptions Postgres => Servers.Postgres;

    /// <summary>The broker's management API.</summary>
    public RabbitMqManagement Management => ManagementClient ?? throw NotInitialised();

    private TestServers Servers => _servers ?? throw NotInitialised();

    // A property rather than a field: IAsyncLifetime.DisposeAsync disposes it, which the IDisposable analyzer (CA1001) does not see.
    private RabbitMqManagement? ManagementClient { get; set; }

    /// <summary>
    /// Configuration that points a service at the test database and vhost (highest precedence in a test host), with the
    /// ops key and the provider settings (<see cref="Hosting.TestProviderSettings"/>) no service starts without.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Hosting.TestProviderSettings.Values)
    {
        ["Postgres:Host"] = Postgres.Host,
        ["Postgres:Port"] = Postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Postgres:Database"] = Database.Name,
        ["RabbitMq:Host"] = RabbitMq.Host,
        ["RabbitMq:Port"] = RabbitMq.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = VirtualHost,
        ["Ops:ApiKey"] = Hosting.TestOpsKey.Value,
        ["MailOutbox:Directory"] = MailOutbox,

        // Test hosts log to the test runner's console: only what deserves a look.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _servers = await TestServers.EnsureStartedAsync();
        _database = await TestDatabase.CreateAsync(Postgres);
        ManagementClient = new RabbitMqManagement(RabbitMq);
        await ManagementClient.CreateVirtualHostAsync(VirtualHost);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (ManagementClient is not null)
        {
            await ManagementClient.DeleteVirtualHostAsync(VirtualHost);
            ManagementClient.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(MailOutbox))
        {
            Directory.Delete(MailOutbox, recursive: true);
        }
    }

    private static InvalidOperationException NotInitialised() => new("The fixture is not initialised yet.");
}

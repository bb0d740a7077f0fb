namespace OrdersMail.Testing.Infrastructure;

/// <summary>A PostgreSQL server of a test's own, on a free port.</summary>
public sealed class PrivatePostgres() : PrivateServer("postgres")
{
    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; private set; } = FreePort();

    /// <summary>The settings that point a service host at it (its database is the default one).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Postgres:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Postgres:Database"] = new BuildingBlocks.Data.PostgresOptions().Database,
    };

    /// <inheritdoc />
    protected override void ChooseNewPorts() => Port = FreePort();

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, int> Ports => new Dictionary<string, int> { ["ORDERSMAIL_Postgres__Port"] = Port };
}

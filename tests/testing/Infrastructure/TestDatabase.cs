using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>A database of its own for one test class, created fresh on the real server and dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresOptions _server;

    private TestDatabase(PostgresOptions server, string name)
    {
        _server = server;
        Name = name;
    }

    /// <summary>The database's name (<c>test_</c> and a random suffix).</summary>
    public string Name { get; }

    /// <summary>A connection string to it, for tests that look at what the services wrote.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server.ConnectionString("tests", "public")) { Database = Name }.ConnectionString;

    /// <summary>Creates a fresh, empty database on <paramref name="server"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(PostgresOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var database = new TestDatabase(server, $"test_{Guid.NewGuid():N}");
        await using var connection = await database.OpenMaintenanceConnectionAsync();
        await connection.ExecuteAsync($"create database {database.Name}");
        return database;
    }

    /// <summary>Opens a connection to the test database.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenMaintenanceConnectionAsync();
        await connection.ExecuteAsync($"drop database if exists {Name} with (force)");
    }

    private async Task<NpgsqlConnection> OpenMaintenanceConnectionAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString("tests", "public")) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

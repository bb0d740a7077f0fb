using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// deploy/local/infra.sh start on a PostgreSQL already running makes sure of its database too. A first start interrupted
/// between the server coming up and the database being created (Ctrl-C, pg_ctl's wait timing out on a loaded machine)
/// left a server every later start found "already running", without the database: the services failed with 3D000 until
/// someone stopped it by hand.
/// </summary>
public sealed class InfraScript_Specs
{
    [Fact]
    public async Task Should_create_the_database_a_running_server_lacks()
    {
        await using var postgres = new PrivatePostgres();
        await postgres.StartAsync();
        var database = new PostgresOptions().Database;
        await ExecuteAsync(postgres, "postgres", $"DROP DATABASE \"{database}\" WITH (FORCE)");

        await postgres.StartAsync();

        await ExecuteAsync(postgres, database, "SELECT 1");
    }

    private static async Task ExecuteAsync(PrivatePostgres postgres, string database, string sql)
    {
        var options = new PostgresOptions { Port = postgres.Port, Database = database };
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString("infra-script-specs", "public")) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

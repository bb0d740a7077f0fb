using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Load;

/// <summary>
/// A database and a RabbitMQ vhost of a benchmark's own on the local servers (deploy/local/infra.sh), so the program it
/// runs shares no table or queue with a system <c>up.sh</c> runs beside it; both are removed when disposed.
/// </summary>
public sealed class BenchmarkServers : IAsyncDisposable
{
    private readonly HttpClient _management;

    private BenchmarkServers(PostgresOptions postgres, RabbitMqOptions rabbitMq, string name, HttpClient management)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        Database = name;
        VirtualHost = name;
        _management = management;
    }

    /// <summary>The database server.</summary>
    public PostgresOptions Postgres { get; }

    /// <summary>The broker.</summary>
    public RabbitMqOptions RabbitMq { get; }

    /// <summary>The benchmark's database.</summary>
    public string Database { get; }

    /// <summary>The benchmark's vhost.</summary>
    public string VirtualHost { get; }

    /// <summary>Creates both.</summary>
    public static async Task<BenchmarkServers> CreateAsync(PostgresOptions postgres, RabbitMqOptions rabbitMq)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(rabbitMq);
        var name = $"relay_benchmark_{Guid.NewGuid():N}"[..28];
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString("load-benchmark", "public")))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"create database {name}");
        }

        var management = new HttpClient { BaseAddress = new Uri($"http://{rabbitMq.Host}:{rabbitMq.ManagementPort}/api/"), Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rabbitMq.Username}:{rabbitMq.Password}")));
        (await management.PutAsync(new Uri($"vhosts/{name}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var everything = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await management.PutAsync(new Uri($"permissions/{name}/{Uri.EscapeDataString(rabbitMq.Username)}", UriKind.Relative), everything)).EnsureSuccessStatusCode();
        return new BenchmarkServers(postgres, rabbitMq, name, management);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync(new Uri($"vhosts/{VirtualHost}", UriKind.Relative));
        _management.Dispose();
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString("load-benchmark", "public"));
        await connection.OpenAsync();
        await connection.ExecuteAsync($"drop database if exists {Database} with (force)");
    }
}

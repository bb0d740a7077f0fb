using System.Net;
using System.Text.Json;
using Dapper;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Testing.Hosting;

/// <summary>
/// What every service host must do on a fresh database and vhost: start, migrate its own schema, join the
/// bus and report ready. Each service's test project runs these against its real <c>Program</c>.
/// </summary>
public abstract class ServiceHostSpecs<TProgram>(TestInfrastructure infrastructure, ServiceInfo service) : IAsyncDisposable
    where TProgram : class
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The host under test; it starts on its first client.</summary>
    protected ServiceHostFactory<TProgram> Host { get; } = new(infrastructure);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Ready means its database answers, the broker answers and its bus is started on it.</summary>
    [Fact]
    public async Task Should_report_ready_once_its_database_and_bus_answer()
    {
        using var client = Host.CreateClient();

        var ready = await Eventually.Until(
            () => client.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.OK,
            ReadyTimeout,
            $"{service.Name} to report ready");

        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["postgres"]);
        Assert.Equal("Healthy", checks["rabbitmq"]);
        Assert.Equal("Healthy", checks["masstransit-bus"]);
    }

    /// <summary>Liveness asks nothing of the dependencies.</summary>
    [Fact]
    public async Task Should_report_live()
    {
        using var client = Host.CreateClient();

        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>The service's schema exists, with every one of its migrations recorded once.</summary>
    [Fact]
    public async Task Should_migrate_its_own_schema_at_start()
    {
        using var client = Host.CreateClient();

        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<string>($"select name from {service.Schema}.schema_migrations order by version")).ToList();
        var shipped = Migration.LoadFrom(service.ComponentsAssembly).Select(m => m.Name).ToList();
        Assert.Equal(shipped, recorded);

        var schemas = await connection.QueryAsync<string>("select schema_name from information_schema.schemata where schema_name = @Schema", new { service.Schema });
        Assert.Single(schemas);
    }
}

using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Health;

public sealed class Readiness_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The endpoints are started again once the service's own connection sees the broker back (ReceiveEndpointRestart,
    // BrokerReturn_Specs times it); a minute is a loose bound for a loaded machine.
    private static readonly TimeSpan BrokerReconnectTimeout = TimeSpan.FromSeconds(60);

    private static readonly ServiceInfo Service = TestServiceHost.Identity("readiness-specs", typeof(Readiness_Specs).Assembly);

    [Fact]
    public async Task When_its_database_stops_Should_report_not_ready_and_ready_again_once_it_is_back()
    {
        await using var postgres = new PrivatePostgres();
        await postgres.StartAsync();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, settings: postgres.Settings);

        await postgres.StopAsync();
        var notReady = await host.ReadinessAsync(HttpStatusCode.ServiceUnavailable, Timeout);
        Assert.Equal("Unhealthy", CheckStatus(notReady, "postgres"));
        Assert.Equal("Healthy", CheckStatus(notReady, "rabbitmq"));
        var notServing = await ServingAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notServing.Status);
        Assert.Equal("Unhealthy", CheckStatus(notServing.Report, "postgres"));

        await postgres.StartAsync();
        var ready = await host.ReadinessAsync(HttpStatusCode.OK, Timeout);
        Assert.Equal("Healthy", CheckStatus(ready, "postgres"));
    }

    // Asked in the service's own pool, the check queued behind its work: a storm keeping every connection busy past the
    // check's 3 s answered 503 "PostgreSQL does not answer" while the database answered, taking the busiest replica
    // out of rotation at its peak.
    [Fact]
    public async Task When_every_connection_of_its_pool_is_busy_Should_still_report_serving_and_ready_at_once()
    {
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, settings: new Dictionary<string, string?> { ["Postgres:MaxPoolSize"] = "1" });
        await using var held = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var work = await held.BeginTransactionAsync();
        await held.ExecuteAsync("select 1", transaction: work);

        var serving = await ServingAsync(host);
        using var ready = await host.Client.GetAsync(OrdersMail.BuildingBlocks.Health.HealthEndpoints.ReadyPath);

        // Queued behind the held connection, the check ran out its 3 s and reported Unhealthy with 503: the status, not a clock, tells.
        Assert.Equal(HttpStatusCode.OK, serving.Status);
        Assert.Equal("Healthy", CheckStatus(serving.Report, "postgres"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task When_its_broker_stops_Should_report_not_ready_and_ready_again_once_it_is_back()
    {
        await using var rabbit = new PrivateRabbitMq();
        await rabbit.StartAsync();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, settings: rabbit.Settings);

        await rabbit.StopAsync();
        var notReady = await host.ReadinessAsync(HttpStatusCode.ServiceUnavailable, Timeout);
        Assert.Equal("Unhealthy", CheckStatus(notReady, "rabbitmq"));
        Assert.Equal("Healthy", CheckStatus(notReady, "postgres"));

        // Its HTTP routes need only the database: it goes on serving them, into its outbox, while the broker is away.
        var serving = await ServingAsync(host);
        Assert.Equal(HttpStatusCode.OK, serving.Status);
        Assert.Equal(["postgres"], serving.Report.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        await rabbit.StartAsync();
        var ready = await host.ReadinessAsync(HttpStatusCode.OK, BrokerReconnectTimeout);
        Assert.Equal("Healthy", CheckStatus(ready, "rabbitmq"));
        Assert.Equal("Healthy", CheckStatus(ready, "masstransit-bus"));
    }

    /// <summary>
    /// A started service one of whose endpoints stops consuming while the broker answers (its queue replaced by a classic
    /// queue, so the endpoint's quorum declaration is refused on every reconnect): MassTransit calls that bus
    /// "Degraded", which answered 200, as the provisioner did for minutes after a broker restart in the chaos scenario.
    /// Not ready, naming the endpoint.
    /// </summary>
    [Fact]
    public async Task When_one_of_its_receive_endpoints_stops_consuming_Should_report_not_ready_naming_it()
    {
        var queue = $"readiness-{Guid.NewGuid():N}";
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<IdleConsumer>().Endpoint(e => e.Name = queue));

        await infrastructure.Management.DeleteQueueAsync(infrastructure.VirtualHost, queue);
        await infrastructure.Management.DeclareClassicQueueAsync(infrastructure.VirtualHost, queue);

        var report = await Eventually.Until(
            async () =>
            {
                var response = await host.Client.GetAsync("/health/ready");
                return (response.StatusCode, Report: JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
            },
            r => CheckStatus(r.Report, "rabbitmq") == "Healthy" && Description(r.Report, "masstransit-bus").Contains(queue, StringComparison.Ordinal),
            Timeout,
            "the endpoint to be named while the broker answers",
            TimeSpan.FromMilliseconds(250));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.StatusCode);
        Assert.Equal("Degraded", CheckStatus(report.Report, "masstransit-bus"));
    }

    [Fact]
    public async Task Should_report_live_without_asking_its_dependencies()
    {
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure);

        var live = await host.Client.GetAsync("/health/live");
        using var report = JsonDocument.Parse(await live.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(0, report.RootElement.GetProperty("checks").GetArrayLength());
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Report)> ServingAsync(TestServiceHost host)
    {
        using var response = await host.Client.GetAsync(OrdersMail.BuildingBlocks.Health.HealthEndpoints.ServingPath);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string Description(JsonDocument report, string check) =>
        report.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == check)
            .GetProperty("description").GetString() ?? "";

    private static string? CheckStatus(JsonDocument report, string check) =>
        report.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == check)
            .GetProperty("status").GetString();
}

/// <summary>A message no one sends.</summary>
public sealed record IdleMessage;

/// <summary>A consumer whose endpoint is all the spec needs.</summary>
public sealed class IdleConsumer : MassTransit.IConsumer<IdleMessage>
{
    /// <inheritdoc />
    public Task Consume(MassTransit.ConsumeContext<IdleMessage> context) => Task.CompletedTask;
}

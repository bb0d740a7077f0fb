using System.Globalization;
using System.Net;
using System.Text.Json;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Health;

public sealed class Readiness_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ServiceInfo Service = TestServiceHost.Identity("readiness-specs", typeof(Readiness_Specs).Assembly);

    [Fact]
    public async Task When_its_database_stops_Should_report_not_ready_and_ready_again_once_it_is_back()
    {
        await using var postgres = new PrivatePostgres();
        await postgres.StartAsync();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, settings: new Dictionary<string, string?>
        {
            ["Postgres:Port"] = postgres.Port.ToString(CultureInfo.InvariantCulture),
            ["Postgres:Database"] = postgres.Options.Database,
        });

        await ReadyIs(host, HttpStatusCode.OK);

        await postgres.StopAsync();
        var notReady = await ReadyIs(host, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", CheckStatus(notReady, "postgres"));
        Assert.Equal("Healthy", CheckStatus(notReady, "masstransit-bus"));

        await postgres.StartAsync();
        var ready = await ReadyIs(host, HttpStatusCode.OK);
        Assert.Equal("Healthy", CheckStatus(ready, "postgres"));
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

    private static async Task<JsonDocument> ReadyIs(TestServiceHost host, HttpStatusCode expected)
    {
        var response = await Eventually.Until(
            () => host.Client.GetAsync("/health/ready"),
            r => r.StatusCode == expected,
            Timeout,
            $"/health/ready to answer {(int)expected}",
            TimeSpan.FromMilliseconds(250));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string? CheckStatus(JsonDocument report, string check) =>
        report.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == check)
            .GetProperty("status").GetString();
}

using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.BuildingBlocks.Tests.Messaging;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.BuildingBlocks.Tests.Telemetry;

/// <summary>
/// The spans a host records through OpenTelemetry's hosting and instrumentation packages, read back with the
/// in-memory exporter: what an operator's trace viewer would receive over OTLP.
/// </summary>
public sealed class Telemetry_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ServiceInfo Service = TestServiceHost.Identity("telemetry-specs", typeof(Telemetry_Specs).Assembly);

    [Fact]
    public async Task When_a_consumer_queries_the_database_Should_export_the_publish_the_consume_and_the_query_in_one_trace()
    {
        var exported = new ExportedSpanCollection();
        await using var host = await StartAsync(exported, bus => bus.AddConsumer<QueryingPingConsumer>());

        ActivityTraceId traceId;
        using (var publisher = host.Services.GetRequiredService<ServiceTelemetry>().ActivitySource.StartActivity("publish-spec"))
        {
            Assert.NotNull(publisher);
            traceId = publisher.TraceId;
            await host.Services.GetRequiredService<IBus>().Publish(new Ping(Guid.NewGuid()));
        }

        var spans = await Eventually.Until(
            () => Task.FromResult(exported.InTrace(traceId)),
            s => s.Any(a => a.Source.Name == "Npgsql") && s.Any(a => a.Kind == ActivityKind.Consumer),
            Timeout,
            "the consume and its query to be exported");

        Assert.Contains(spans, a => a.Source.Name == Service.Name && a.DisplayName == "publish-spec");
        Assert.Contains(spans, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer);
        Assert.Contains(spans, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer);
        Assert.Contains(spans, a => a.Source.Name == "Npgsql" && a.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task Should_trace_http_requests_but_not_the_health_probes()
    {
        var exported = new ExportedSpanCollection();
        await using var host = await StartAsync(exported);
        exported.Clear();

        await host.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        await host.Client.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        var requests = await Eventually.Until(
            () => Task.FromResult(exported.Snapshot().Where(a => a.Source.Name == "Microsoft.AspNetCore").ToList()),
            s => s.Count > 0,
            Timeout,
            "the request to be exported");
        var request = Assert.Single(requests);
        Assert.Equal("/no-such-page", request.GetTagItem("url.path"));
        Assert.Equal(404, request.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task When_the_database_is_queried_outside_any_trace_Should_export_no_span_for_it_and_still_trace_queries_inside_one()
    {
        var exported = new ExportedSpanCollection();
        await using var host = await StartAsync(exported);
        var database = host.Services.GetRequiredService<NpgsqlDataSource>();
        var (outside, inside) = ($"outside-{Guid.NewGuid():N}", $"inside-{Guid.NewGuid():N}");

        // As a relay's or a pump's poll runs: no request, no consume, no span of the service's own around it.
        Activity.Current = null;
        await QueryAsync(database, outside);
        using (var parent = host.Services.GetRequiredService<ServiceTelemetry>().ActivitySource.StartActivity("query-spec"))
        {
            Assert.NotNull(parent);
            await QueryAsync(database, inside);
        }

        // Spans are exported as they end, so once the second query's is there the first one's would be too.
        var queries = await Eventually.Until(
            () => Task.FromResult(exported.Snapshot().Where(a => a.Source.Name == "Npgsql").ToList()),
            s => s.Any(a => Mentions(a, inside)),
            Timeout,
            "the query inside a trace to be exported");
        Assert.DoesNotContain(queries, a => Mentions(a, outside));
    }

    private static async Task QueryAsync(NpgsqlDataSource database, string marker)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteScalarAsync<string>($"select '{marker}'");
    }

    private static bool Mentions(Activity span, string marker) =>
        span.TagObjects.Any(t => t.Value is string text && text.Contains(marker, StringComparison.Ordinal));

    private Task<TestServiceHost> StartAsync(ExportedSpanCollection exported, Action<IBusRegistrationConfigurator>? bus = null) =>
        TestServiceHost.StartAsync(Service, infrastructure, bus, services: exported.ExportFrom);
}

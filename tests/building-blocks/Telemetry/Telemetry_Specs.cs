using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
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

    private Task<TestServiceHost> StartAsync(ExportedSpanCollection exported, Action<IBusRegistrationConfigurator>? bus = null) =>
        TestServiceHost.StartAsync(Service, infrastructure, bus, services: exported.ExportFrom);
}

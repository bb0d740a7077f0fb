using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.BuildingBlocks.Tests.Telemetry;

/// <summary>
/// Our latency histograms as a host exports them: a wait longer than the SDK's default 10 s top boundary (a broker
/// outage's publish lag) lands in a bucket of its own, not in +Inf, where every quantile of it read 10,000 ms.
/// </summary>
public sealed class LatencyBuckets_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly ServiceInfo Service = TestServiceHost.Identity("latency-buckets-specs", typeof(LatencyBuckets_Specs).Assembly);

    [Fact]
    public async Task When_an_outbox_row_waits_a_minute_for_the_broker_Should_export_its_publish_lag_in_a_finite_bucket_above_10_s()
    {
        var exported = new ExportedMetrics();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, services: exported.ExportFrom);
        var metrics = new OutboxMetrics(host.Services.GetRequiredService<ServiceTelemetry>());

        metrics.RecordPublished(DateTimeOffset.UtcNow.AddMinutes(-1));

        var buckets = exported.HistogramBuckets(host.Services, OutboxMetrics.PublishLag);
        var (upperBound, _) = Assert.Single(buckets, b => b.Count > 0);
        Assert.True(double.IsFinite(upperBound) && upperBound > 10_000, $"a minute's lag landed in the bucket up to {upperBound} ms");
    }
}

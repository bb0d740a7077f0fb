using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// The relay's latency histograms as a host exports them: an email held back by a provider's quota pause for hours,
/// or a file left while no relay ran, lands in a bucket of its own, not in the +Inf past the SDK's default 10 s, where
/// every quantile of them read 10,000 ms.
/// </summary>
public sealed class RelayLatencyBuckets_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly ServiceInfo Service = TestServiceHost.Identity("relay-latency-buckets-specs", typeof(RelayLatencyBuckets_Specs).Assembly);

    [Fact]
    public async Task When_an_email_is_accepted_six_hours_after_its_file_appeared_Should_export_its_accept_latency_in_a_finite_bucket_above_10_s()
    {
        var exported = new ExportedMetrics();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, services: exported.ExportFrom);
        var metrics = new RelayMetrics(host.Services.GetRequiredService<ServiceTelemetry>());
        var acceptedAt = DateTimeOffset.UtcNow;

        metrics.RecordPickup(acceptedAt.AddHours(-6), acceptedAt.AddHours(-6).AddMinutes(2));
        metrics.RecordSent(EmailProvider.Resend, kind: null, acceptedAt.AddHours(-6), acceptedAt);

        AssertFiniteAbove10Seconds(exported.HistogramBuckets(host.Services, RelayMetrics.PickupLatency), "a two minutes' pick-up");
        AssertFiniteAbove10Seconds(exported.HistogramBuckets(host.Services, RelayMetrics.AcceptLatency), "six hours to accept");
    }

    private static void AssertFiniteAbove10Seconds(IReadOnlyList<(double UpperBound, long Count)> buckets, string wait)
    {
        var (upperBound, _) = Assert.Single(buckets, b => b.Count > 0);
        Assert.True(double.IsFinite(upperBound) && upperBound > 10_000, $"{wait} landed in the bucket up to {upperBound} ms");
    }
}

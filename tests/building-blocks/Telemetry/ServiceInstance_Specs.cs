using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Telemetry;

/// <summary>
/// The <c>service.instance.id</c> a host's metrics and traces are exported under: one per process, so two replicas on
/// one machine (two systemd units on a VM, the load benchmark's scale-out) are two metric streams. Under the bare
/// machine name they were one, whose counters went back and forth (false resets) and whose gauges overwrote each other.
/// </summary>
public sealed class ServiceInstance_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private const string InstanceId = "service.instance.id";
    private static readonly ServiceInfo Service = TestServiceHost.Identity("service-instance-specs", typeof(ServiceInstance_Specs).Assembly);

    [Fact]
    public async Task Should_export_under_the_machine_name_and_this_process_id_in_metrics_and_traces()
    {
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure);

        var metrics = host.Services.GetRequiredService<MeterProvider>().GetResource().Attributes.ToDictionary();
        var traces = host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary();

        var id = Assert.IsType<string>(metrics[InstanceId]);
        Assert.NotEqual(Environment.MachineName, id);
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", id);
        Assert.Equal(id, traces[InstanceId]);
    }
}

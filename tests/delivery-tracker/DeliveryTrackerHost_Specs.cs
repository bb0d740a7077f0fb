using OrdersMail.DeliveryTracker;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.DeliveryTracker.Tests;

/// <summary>The delivery-tracker host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class DeliveryTrackerHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, DeliveryTrackerService.Info, Routes), IClassFixture<TestInfrastructure>
{
    private static readonly Dictionary<string, int[]> Routes = new()
    {
        ["POST /webhooks/resend"] = [204, 400, 401, 413, 415, 503],
        ["GET /outbox/failed"] = [200, 400, 401],
        ["POST /outbox/failed/{file}/send-again"] = [202, 400, 401, 404, 409, 422, 503],
    };

    // It reads failed/ and the reason files beside its files, nothing else.
    protected override IReadOnlySet<string> RoutesWithoutDatabase { get; } = new HashSet<string> { "GET /outbox/failed" };

    // No Resend:WebhookSecret configured.
    protected override IReadOnlySet<string> RoutesWithA503WithoutRetryAfter { get; } = new HashSet<string> { "POST /webhooks/resend" };
}

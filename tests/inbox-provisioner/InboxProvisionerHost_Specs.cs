using OrdersMail.InboxProvisioner;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>The inbox-provisioner host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class InboxProvisionerHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, InboxProvisionerService.Info, Routes), IClassFixture<TestInfrastructure>
{
    private static readonly Dictionary<string, int[]> Routes = new()
    {
        ["GET /provisioning"] = [200, 400, 401, 503],
        ["GET /provisioning/{orderId}"] = [200, 400, 401, 404, 503],
        ["POST /provisioning/{orderId}/retry"] = [202, 400, 401, 404, 409, 503],
        ["GET /provisioning/customers/{userId}"] = [200, 400, 401, 404, 503],
        ["DELETE /provisioning/customers/{userId}/inbox"] = [200, 400, 401, 404, 502, 503],
        ["POST /provisioning/webhook-watch"] = [200, 401, 502, 503],
    };

    // The broker or AgentMail away.
    protected override IReadOnlySet<string> RoutesWithA503WithoutRetryAfter { get; } = new HashSet<string>
    {
        "POST /provisioning/{orderId}/retry", "DELETE /provisioning/customers/{userId}/inbox", "POST /provisioning/webhook-watch",
    };
}

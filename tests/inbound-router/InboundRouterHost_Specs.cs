using OrdersMail.InboundRouter;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.InboundRouter.Tests;

/// <summary>The inbound-router host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class InboundRouterHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, InboundRouterService.Info, Routes), IClassFixture<TestInfrastructure>
{
    private static readonly Dictionary<string, int[]> Routes = new()
    {
        ["POST /webhooks/agentmail"] = [200, 202, 400, 401, 413, 415, 503],
        ["GET /routing/parked"] = [200, 400, 401, 503],
        ["POST /routing/parked/{id}/route"] = [200, 400, 401, 404, 409, 413, 422, 502, 503],
        ["POST /routing/parked/{id}/dismiss"] = [204, 400, 401, 404, 409, 503],
        ["GET /routing/set-aside"] = [200, 400, 401, 503],
        ["POST /routing/set-aside/{svixId}/retry"] = [202, 401, 404, 409, 503],
        ["POST /routing/set-aside/{svixId}/dismiss"] = [204, 401, 404, 503],
        ["POST /routing/missed-mail/{inboxId}"] = [202, 400, 401, 404, 503],
    };

    // AgentMail away; the ingress's own 503s are the database's, with Retry-After.
    protected override IReadOnlySet<string> RoutesWithA503WithoutRetryAfter { get; } = new HashSet<string> { "POST /routing/parked/{id}/route" };
}

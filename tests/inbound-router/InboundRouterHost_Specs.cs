using OrdersMail.InboundRouter;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.InboundRouter.Tests;

/// <summary>The inbound-router host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class InboundRouterHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, InboundRouterService.Info), IClassFixture<TestInfrastructure>;

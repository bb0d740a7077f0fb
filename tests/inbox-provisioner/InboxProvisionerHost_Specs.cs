using OrdersMail.InboxProvisioner;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>The inbox-provisioner host, unchanged, on a fresh database and vhost of the real servers.</summary>
public sealed class InboxProvisionerHost_Specs(TestInfrastructure infrastructure)
    : ServiceHostSpecs<Program>(infrastructure, InboxProvisionerService.Info), IClassFixture<TestInfrastructure>;

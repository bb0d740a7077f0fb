using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.InboundRouter.Tests;

/// <summary>
/// The router's own AgentMail settings (<c>InboundRouter:AgentMail</c>), which nothing else sets for it. An operator who
/// set only the provisioner's keys got a router that fell back on the local sandbox's address and key: it asked
/// 127.0.0.1:7070 for every new inbox's secret and refused every message.received as secret_unavailable.
/// </summary>
public sealed class AgentMailSettings_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    [Fact]
    public async Task When_only_the_provisioners_AgentMail_keys_are_set_Should_refuse_to_start_naming_the_routers()
    {
        await using var router = new RouterWithoutAgentMail(infrastructure);

        var failure = Assert.ThrowsAny<Exception>(() => router.CreateClient()).ToString();

        Assert.Contains("InboundRouter:AgentMail:BaseUrl must be set", failure, StringComparison.Ordinal);
        Assert.Contains("InboundRouter:AgentMail:ApiKey must be set", failure, StringComparison.Ordinal);
    }

    // The test hosts' settings without the router's AgentMail section (absent, not blank), the provisioner's left in.
    private sealed class RouterWithoutAgentMail(TestInfrastructure infrastructure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(
                infrastructure.Settings.Where(s => !s.Key.StartsWith("InboundRouter:AgentMail:", StringComparison.Ordinal))));
        }
    }
}

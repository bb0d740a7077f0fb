using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>The <c>InboxProvisioner:Provisioning</c> settings as the provisioner's composition binds and checks them at start.</summary>
public sealed class ProvisioningOptions_Specs
{
    /// <summary>
    /// A webhook URL AgentMail refuses to post to would have every existing customer's working webhook deleted by the
    /// webhook watch, as differing, and never created again: said at start instead.
    /// </summary>
    [Theory]
    [InlineData("htps://router.example.com/webhooks/agentmail")]
    [InlineData("ftp://router.example.com/webhooks/agentmail")]
    [InlineData("urn:router:webhooks")]
    public void When_the_webhook_url_is_not_an_http_url_Should_refuse_to_start_naming_it(string url)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(url));

        Assert.Contains(failure.Failures, f => f.Contains("InboxProvisioner:Provisioning:WebhookUrl must", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5300/webhooks/agentmail")]
    [InlineData("https://router.example.com/webhooks/agentmail")]
    public void When_the_webhook_url_is_an_http_url_Should_start(string url) =>
        Assert.Equal(new Uri(url), Bind(url).WebhookUrl);

    private static ProvisioningOptions Bind(string webhookUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["InboxProvisioner:Provisioning:WebhookUrl"] = webhookUrl });
        builder.AddInboxProvisioner();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<ProvisioningOptions>>().Value;
    }
}

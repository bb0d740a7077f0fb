using Microsoft.AspNetCore.Hosting;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// inbox-provisioner, unchanged, on a test class's database and vhost, with the sandbox as AgentMail. Its delays
/// are shrunk so that retries, timeouts and the stuck-saga sweep happen within a test's patience. Given
/// <paramref name="spans"/>, it exports its spans there too.
/// </summary>
public sealed class ProvisionerFactory(
    TestInfrastructure infrastructure, MailSandboxServer sandbox, IReadOnlyDictionary<string, string?>? overrides = null, ExportedSpanCollection? spans = null)
    : ServiceHostFactory<Program>(infrastructure)
{
    /// <summary>Where the provisioner tells AgentMail to post the inbox's events.</summary>
    public const string WebhookUrl = "http://127.0.0.1:5300/webhooks/agentmail";

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings => For(sandbox, overrides);

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (spans is not null)
        {
            builder.ConfigureServices(spans.ExportFrom);
        }
    }

    /// <summary>The settings a test provisioner runs with (besides the infrastructure's): the sandbox as AgentMail, short delays.</summary>
    public static IReadOnlyDictionary<string, string?> For(MailSandboxServer sandbox, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var settings = new Dictionary<string, string?>
        {
            ["InboxProvisioner:AgentMail:BaseUrl"] = sandbox.AgentMailBaseUrl,
            ["InboxProvisioner:AgentMail:ApiKey"] = "am_test_provisioner",
            ["InboxProvisioner:AgentMail:RetryBaseDelay"] = "00:00:00.050",
            ["InboxProvisioner:AgentMail:MaxRetryAfter"] = "00:00:02",
            ["InboxProvisioner:AgentMail:AttemptTimeout"] = "00:00:03",
            ["InboxProvisioner:Provisioning:WebhookUrl"] = WebhookUrl,
            ["InboxProvisioner:Provisioning:StepTimeout"] = "00:00:04",
            ["InboxProvisioner:Provisioning:StepQueueTimeout"] = "00:00:30",
            ["InboxProvisioner:Provisioning:SweepInterval"] = "00:00:00.500",
            ["InboxProvisioner:Provisioning:StepRetries"] = "1",
            ["InboxProvisioner:Provisioning:StepRetryDelay"] = "00:00:00.100",
            ["InboxProvisioner:Provisioning:StepRetryPollInterval"] = "00:00:00.200",
            ["InboxProvisioner:Provisioning:LeaseLength"] = "00:00:03",
            ["Messaging:Retry:Limit"] = "2",
            ["Messaging:Retry:MinInterval"] = "00:00:00.050",
            ["Messaging:Retry:MaxInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}

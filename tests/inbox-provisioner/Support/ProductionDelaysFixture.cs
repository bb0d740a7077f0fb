using System.Globalization;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A provisioner with the service's own step timing (StepTimeout 2 min, StepQueueTimeout 15 min, the sweep, the step
/// retries and their look) instead of the shrunk delays of <see cref="ProvisionerFactory.For"/>, so a spec can tell a
/// retry within seconds from the sweeper's. The AgentMail client's retries stay short, so an outage of a few seconds
/// outlasts them.
/// </summary>
public sealed class ProductionDelaysFixture : ProvisionerFixture
{
    /// <summary>The service's defaults.</summary>
    public static readonly ProvisioningOptions Defaults = new();

    /// <summary>The settings that give a test provisioner the service's own step timing.</summary>
    public static IReadOnlyDictionary<string, string?> Timing { get; } = new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:StepTimeout"] = Text(Defaults.StepTimeout),
        ["InboxProvisioner:Provisioning:StepQueueTimeout"] = Text(Defaults.StepQueueTimeout),
        ["InboxProvisioner:Provisioning:SweepInterval"] = Text(Defaults.SweepInterval),
        ["InboxProvisioner:Provisioning:StepRetries"] = Defaults.StepRetries.ToString(CultureInfo.InvariantCulture),
        ["InboxProvisioner:Provisioning:StepRetryDelay"] = Text(Defaults.StepRetryDelay),
        ["InboxProvisioner:Provisioning:StepRetryPollInterval"] = Text(Defaults.StepRetryPollInterval),
        ["InboxProvisioner:Provisioning:LeaseLength"] = Text(Defaults.LeaseLength),
    };

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => Timing;

    private static string Text(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

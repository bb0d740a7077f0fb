namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A provisioner whose own stuck-saga sweeper and deferred-step dispatcher never look within a spec, so a spec's own
/// sweeper or dispatcher is the only one to claim its rows.
/// </summary>
public sealed class NoSweepFixture : ProvisionerFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:SweepInterval"] = "01:00:00",
        ["InboxProvisioner:Provisioning:StepRetryPollInterval"] = "01:00:00",
    };
}

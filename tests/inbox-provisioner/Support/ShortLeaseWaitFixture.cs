namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>A provisioner whose steps wait a second for a customer's lease, so a spec sees a wait run out quickly.</summary>
public sealed class ShortLeaseWaitFixture : ProvisionerFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:LockTimeout"] = "00:00:01",
    };
}

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>A provisioner that fails a stuck step at once instead of asking it again (a deferred step still gets its one quick retry first).</summary>
public sealed class NoResumeFixture : ProvisionerFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:MaxResumes"] = "0",
    };
}

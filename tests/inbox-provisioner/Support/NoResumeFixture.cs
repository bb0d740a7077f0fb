namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A provisioner that fails a stuck step at once instead of asking it again (a deferred step still gets its one quick
/// retry first). Its AgentMail circuit does not open: the specs count every attempt a step makes against a failing
/// AgentMail, and an open circuit would fail the next ones without a call.
/// </summary>
public sealed class NoResumeFixture : ProvisionerFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:MaxResumes"] = "0",
        ["InboxProvisioner:AgentMail:BreakerMinimumThroughput"] = "1000",
    };
}

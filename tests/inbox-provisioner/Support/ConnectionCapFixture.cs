namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>A provisioner with small, known concurrency limits, that resumes a stuck step for as long as an outage lasts.</summary>
public sealed class ConnectionCapFixture : ProvisionerFixture
{
    /// <summary>Commands each step consumer handles at once.</summary>
    public const int StepConcurrency = 2;

    /// <summary>Messages the saga handles at once.</summary>
    public const int SagaConcurrency = 4;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:StepConcurrency"] = $"{StepConcurrency}",
        ["InboxProvisioner:Provisioning:SagaConcurrency"] = $"{SagaConcurrency}",
        ["InboxProvisioner:Provisioning:MaxResumes"] = "100",
    };
}

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A provisioner whose step endpoints take one command at a time, and whose steps wait 25 s for a customer's lease: a
/// step of a customer whose lease is held elsewhere keeps the inbox step's one slot that long, and every command behind
/// it waits in the queue, as behind a backlog. A command no consumer takes is asked again after a minute; one taken, after 10 s.
/// </summary>
public sealed class OneStepSlotFixture : ProvisionerFixture
{
    /// <summary>How long a step waits for its customer's lease, holding its slot.</summary>
    public static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(25);

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:StepConcurrency"] = "1",
        ["InboxProvisioner:Provisioning:LockTimeout"] = LeaseWait.ToString(),
        ["InboxProvisioner:Provisioning:StepQueueTimeout"] = "00:01:00",

        // The resumes still last less than the backlog (20 s against 25), and a step once taken has 10 s to finish on
        // a busy machine before it is rightly asked again (the 4 s of the other fixtures were passed in a CI run).
        ["InboxProvisioner:Provisioning:StepTimeout"] = "00:00:10",
        ["InboxProvisioner:Provisioning:MaxResumes"] = "1",
    };
}

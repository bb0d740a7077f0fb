namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A provisioner whose step endpoints take one command at a time, and whose steps wait 25 s for a customer's lease: a
/// step of a customer whose lease is held elsewhere keeps the inbox step's one slot that long, and every command behind
/// it waits in the queue, as behind a backlog. A command no consumer takes is asked again after a minute.
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
    };
}

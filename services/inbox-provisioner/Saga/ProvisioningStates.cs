namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// The saga's state names as stored in <c>provisioning_sagas.current_state</c> and shown to ops: the machine's own
/// state properties' names, so the two cannot drift apart.
/// </summary>
public static class ProvisioningStates
{
    /// <summary>Waiting for the customer's inbox.</summary>
    public const string CreatingInbox = nameof(ProvisioningStateMachine.CreatingInbox);

    /// <summary>Waiting for the inbox's webhook.</summary>
    public const string SubscribingWebhook = nameof(ProvisioningStateMachine.SubscribingWebhook);

    /// <summary>Reading the webhook back.</summary>
    public const string ReconcilingWebhook = nameof(ProvisioningStateMachine.ReconcilingWebhook);

    /// <summary>Done: InboxReady was published.</summary>
    public const string Ready = nameof(ProvisioningStateMachine.Ready);

    /// <summary>Done: InboxProvisioningFailed was published.</summary>
    public const string Failed = nameof(ProvisioningStateMachine.Failed);

    /// <summary>
    /// The states the per-state gauge counts, so it can say 0 for a state no saga is in: those ops act on. Ready is left
    /// out: its count only grows (saga rows are kept), and counting it read the whole table every sweep.
    /// </summary>
    public static readonly IReadOnlyList<string> Counted = [CreatingInbox, SubscribingWebhook, ReconcilingWebhook, Failed];
}

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// The names a saga's history and ops' view give its steps (and the other lines of its history). They are read by
/// ops and dashboards, so they are part of the service's contract: renaming one here renames it everywhere at once.
/// </summary>
public static class ProvisioningSteps
{
    /// <summary>The order that started the saga.</summary>
    public const string Order = "order";

    /// <summary>The customer's inbox: created or re-stamped.</summary>
    public const string Inbox = "inbox";

    /// <summary>The inbox's webhook: subscribed.</summary>
    public const string Webhook = "webhook";

    /// <summary>The webhook read back and, when it differs, repaired.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>A step AgentMail was unavailable for: its retry scheduled, asked again, or left to the sweeper.</summary>
    public const string Deferral = "deferral";

    /// <summary>A stuck step asked again by the sweeper.</summary>
    public const string Resume = "resume";

    /// <summary>A Failed saga started over by ops.</summary>
    public const string Retry = "retry";

    /// <summary>An org-wide webhook found and deleted.</summary>
    public const string Security = "security";

    /// <summary>The steps ops see the latest outcome of, in the order they run.</summary>
    public static readonly IReadOnlyList<string> Reported = [Inbox, Webhook, Reconcile];
}

using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail;

/// <summary>
/// AgentMail's state, all in memory: inboxes, webhooks and messages. One lock guards it all, which keeps
/// idempotent creates (<c>client_id</c>) and username checks exact under concurrent calls. Send keys expire on the
/// sandbox's clock, so a spec can let AgentMail forget them in an instant, as Resend's do.
/// </summary>
public sealed class AgentMailStore(TimeProvider time) : ISandboxState
{
    /// <summary>Held while reading or changing any of the collections below.</summary>
    public Lock Sync { get; } = new();

    /// <summary>Inboxes by <c>inbox_id</c> (case-insensitive: it is an email address) and by <c>client_id</c>.</summary>
    public Inboxes.InboxTable Inboxes { get; } = new();

    /// <summary>Webhooks by <c>webhook_id</c>, and by what each event asks of them (<see cref="Webhooks.WebhookTable"/>).</summary>
    public Webhooks.WebhookTable Webhooks { get; } = new();

    /// <summary>Messages by <c>(inbox_id, message_id)</c>, and by inbox.</summary>
    public Messages.MessageTable Messages { get; } = new();

    /// <summary>The org's send <c>Idempotency-Key</c>s (send and reply); guarded by its own lock.</summary>
    public Messages.SendIdempotency SendIdempotency { get; } = new(time);

    /// <summary>Recipient addresses the control API marked as bouncing; guarded by its own lock.</summary>
    public Messages.MarkedAddresses BouncingAddresses { get; } = new();

    /// <summary>Recipient addresses whose mail is delivered, then complained about (marked as spam); guarded by its own lock.</summary>
    public Messages.MarkedAddresses ComplainingAddresses { get; } = new();

    /// <summary>Recipient addresses AgentMail rejects mail to after accepting it; guarded by its own lock.</summary>
    public Messages.MarkedAddresses RejectingAddresses { get; } = new();

    /// <summary>
    /// Recipient addresses whose mail bounced, was complained of or rejected, every later send to which is refused with 403
    /// <c>message_rejected</c>, as AgentMail does; guarded by its own lock.
    /// </summary>
    public Messages.MarkedAddresses BlockedAddresses { get; } = new();

    /// <inheritdoc />
    public void Reset()
    {
        lock (Sync)
        {
            Inboxes.Clear();
            Webhooks.Clear();
            Messages.Clear();
        }

        SendIdempotency.Clear();
        BouncingAddresses.Clear();
        ComplainingAddresses.Clear();
        RejectingAddresses.Clear();
        BlockedAddresses.Clear();
    }

    /// <summary>The inbox, or null. Takes the lock.</summary>
    public Inboxes.StoredInbox? FindInbox(string inboxId)
    {
        lock (Sync)
        {
            return Inboxes.Find(inboxId);
        }
    }

    /// <summary>
    /// The enabled webhooks that receive <paramref name="eventType"/> for <paramref name="inboxId"/>: those scoped
    /// to that inbox or to its pod, and org-wide ones (no inbox and no pod scope), which see every inbox. Takes the lock.
    /// </summary>
    public IReadOnlyList<Webhooks.StoredWebhook> SubscribersOf(string inboxId, string eventType)
    {
        lock (Sync)
        {
            return Webhooks.Receiving(inboxId, Inboxes.Find(inboxId)?.PodId, eventType);
        }
    }
}

using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>What org-level and inbox-scoped webhook creates share: idempotency and storing. Callers hold <see cref="AgentMailStore.Sync"/>.</summary>
public static class WebhookCreation
{
    /// <summary>The webhook an earlier create with <paramref name="clientId"/> made; a replay returns it as stored, whatever the new body says.</summary>
    public static StoredWebhook? Replayed(AgentMailStore store, string? clientId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return clientId is null ? null : store.Webhooks.WithClientId(clientId);
    }

    /// <summary>
    /// Stores a new webhook with its own secret, enabled, and answers 200 with it. Under a <c>stored_differs</c> fault
    /// for <paramref name="operation"/> the answer is still the webhook as requested, but what is stored drifts.
    /// </summary>
    public static IResult Store(
        AgentMailStore store,
        FaultRegistry faults,
        string operation,
        CreateWebhookRequest request,
        IReadOnlyList<string> inboxIds,
        IReadOnlyList<string> podIds)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(request);
        var now = DateTimeOffset.UtcNow;
        var requested = new StoredWebhook
        {
            WebhookId = Ids.New("ep_"),
            Url = request.Url,
            EventTypes = request.EventTypes,
            PodIds = podIds,
            InboxIds = inboxIds,
            Secret = SvixSignature.NewSecret(),
            ClientId = request.ClientId,
            Headers = request.Headers,
            UpdatedAt = now,
            CreatedAt = now,
        };
        var drifting = faults.Take(SandboxApi.AgentMail, operation, r => r.StoredDiffers is not null).FirstOrDefault(r => r.AppliesNow());
        if (drifting is not null)
        {
            faults.CountApplied(drifting.Id);
        }

        var drift = drifting?.StoredDiffers;
        var stored = WebhookDrift.Apply(requested, drift, store);
        store.Webhooks.Put(stored);
        return Results.Json(WebhookResponse.Of(requested), SandboxJson.Options);
    }
}

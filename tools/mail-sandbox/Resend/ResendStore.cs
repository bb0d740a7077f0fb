using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>Resend's state, in memory: the emails it accepted and the webhook endpoints events go to.</summary>
public sealed class ResendStore : ISandboxState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredEmail> _emails = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ResendWebhookEndpoint> _endpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void Reset()
    {
        lock (_lock)
        {
            _emails.Clear();
            _endpoints.Clear();
        }
    }

    /// <summary>Keeps an accepted email.</summary>
    public void AddEmail(StoredEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        lock (_lock)
        {
            _emails[email.Id] = email;
        }
    }

    /// <summary>The email, or null.</summary>
    public StoredEmail? FindEmail(string id)
    {
        lock (_lock)
        {
            return _emails.GetValueOrDefault(id);
        }
    }

    /// <summary>Every accepted email, oldest first.</summary>
    public IReadOnlyList<StoredEmail> Emails()
    {
        lock (_lock)
        {
            return [.. _emails.Values.OrderBy(e => e.CreatedAt)];
        }
    }

    /// <summary>Adds a webhook endpoint.</summary>
    public void AddEndpoint(ResendWebhookEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_lock)
        {
            _endpoints[endpoint.Id] = endpoint;
        }
    }

    /// <summary>The endpoint, or null.</summary>
    public ResendWebhookEndpoint? FindEndpoint(string id)
    {
        lock (_lock)
        {
            return _endpoints.GetValueOrDefault(id);
        }
    }

    /// <summary>Every endpoint, oldest first.</summary>
    public IReadOnlyList<ResendWebhookEndpoint> Endpoints()
    {
        lock (_lock)
        {
            return [.. _endpoints.Values.OrderBy(e => e.CreatedAt)];
        }
    }

    /// <summary>Removes an endpoint; false when there was none.</summary>
    public bool RemoveEndpoint(string id)
    {
        lock (_lock)
        {
            return _endpoints.Remove(id);
        }
    }

    /// <summary>The endpoints subscribed to <paramref name="eventType"/>.</summary>
    public IReadOnlyList<ResendWebhookEndpoint> SubscribersOf(string eventType)
    {
        lock (_lock)
        {
            return [.. _endpoints.Values.Where(e => e.Events.Contains(eventType, StringComparer.Ordinal))];
        }
    }
}

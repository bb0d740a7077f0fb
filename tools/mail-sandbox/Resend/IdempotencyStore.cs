using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Resend's <c>Idempotency-Key</c> memory, per API key: which keys have a request in flight, and for 24 hours
/// the payload and email id(s) of each key's successful send (one email or a batch), so a retry replays it. Failed requests leave nothing
/// behind (the docs do not say errors are kept, so a retry after one gets a fresh attempt).
/// </summary>
public sealed class IdempotencyStore(TimeProvider time) : ISandboxState
{
    /// <summary>The header name.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>The longest key Resend accepts.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>How long a successful send is remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly Lock _lock = new();
    private readonly HashSet<(string ApiKey, string Key)> _inFlight = [];
    private readonly Dictionary<(string ApiKey, string Key), RememberedSend> _sends = [];

    /// <summary>True for a key of 1 to 256 characters.</summary>
    public static bool IsValidKey(string key) => key is { Length: >= 1 and <= MaxKeyLength };

    /// <inheritdoc />
    public void Reset()
    {
        lock (_lock)
        {
            _inFlight.Clear();
            _sends.Clear();
        }
    }

    /// <summary>Marks the key in flight; false when another request with it is still in flight.</summary>
    public bool TryBegin(string apiKey, string key)
    {
        lock (_lock)
        {
            return _inFlight.Add((apiKey, key));
        }
    }

    /// <summary>The request with this key has finished, whatever its outcome.</summary>
    public void End(string apiKey, string key)
    {
        lock (_lock)
        {
            _inFlight.Remove((apiKey, key));
        }
    }

    /// <summary>The successful send made with this key in the last 24 hours, or null.</summary>
    public RememberedSend? Find(string apiKey, string key)
    {
        lock (_lock)
        {
            return _sends.TryGetValue((apiKey, key), out var send) && send.ExpiresAt > time.GetUtcNow() ? send : null;
        }
    }

    /// <summary>Remembers a successful send; expired ones are dropped on the way.</summary>
    public void Remember(string apiKey, string key, JsonNode payload, string emailId) => Remember(apiKey, key, payload, [emailId]);

    /// <summary>Remembers a successful send of one email or of a batch (its ids in the request's order).</summary>
    public void Remember(string apiKey, string key, JsonNode payload, IReadOnlyList<string> emailIds)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var expired in _sends.Where(s => s.Value.ExpiresAt <= now).Select(s => s.Key).ToList())
            {
                _sends.Remove(expired);
            }

            _sends[(apiKey, key)] = new RememberedSend(payload.DeepClone(), emailIds, now + Retention);
        }
    }
}

/// <summary>A successful send (one email or a batch) remembered under its idempotency key.</summary>
/// <param name="Payload">The request body, compared as JSON (key order and spacing do not matter).</param>
/// <param name="EmailIds">The ids it was answered with, in the request's order, replayed on a retry.</param>
/// <param name="ExpiresAt">When the key is forgotten.</param>
public sealed record RememberedSend(JsonNode Payload, IReadOnlyList<string> EmailIds, DateTimeOffset ExpiresAt)
{
    /// <summary>The id of a single send.</summary>
    public string EmailId => EmailIds[0];
}

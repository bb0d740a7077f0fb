namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// A Resend webhook endpoint the sandbox has from its start, as one set up once in Resend's dashboard would be:
/// <c>MailSandbox:ResendWebhooks:0:Url</c> and <c>:SigningSecret</c>. Where no program can register an endpoint
/// and hand its secret on (docker-compose), the secret is configured on both sides instead.
/// </summary>
public sealed class ConfiguredResendWebhook
{
    /// <summary>Where events are POSTed.</summary>
    public string? Url { get; set; }

    /// <summary>The <c>whsec_</c> secret the receiver verifies with.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Registers every configured endpoint for all of Resend's events; an incomplete one stops the start with its index.</summary>
    public static void RegisterAll(IReadOnlyList<ConfiguredResendWebhook> configured, ResendStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        for (var i = 0; i < configured.Count; i++)
        {
            var webhook = configured[i];
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || string.IsNullOrWhiteSpace(webhook.SigningSecret))
            {
                throw new InvalidOperationException($"MailSandbox:ResendWebhooks:{i} needs an absolute Url and a SigningSecret.");
            }

            store.AddEndpoint(new ResendWebhookEndpoint
            {
                Id = Guid.NewGuid().ToString(),
                Url = url.ToString(),
                Events = ResendEventTypes.All,
                SigningSecret = webhook.SigningSecret,
                CreatedAt = time.GetUtcNow(),
            });
        }
    }
}

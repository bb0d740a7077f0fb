using System.Security.Cryptography;
using StandardWebhooks;

namespace OrdersMail.MailSandbox.Webhooks;

/// <summary>
/// The Svix / Standard Webhooks signature, made by the StandardWebhooks library: <c>v1,</c> +
/// base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the key is the base64-decoded secret without its
/// <c>whsec_</c> prefix and the body is the exact text sent.
/// </summary>
public static class SvixSignature
{
    private const string SecretPrefix = "whsec_";

    /// <summary>The header names Svix sends (lower case, as Svix writes them): the library's Standard Webhooks scheme under Svix's brand.</summary>
    public static readonly WebhookConfigurationOptions Headers = new()
    {
        IdHeaderKey = "svix-id",
        TimestampHeaderKey = "svix-timestamp",
        SignatureHeaderKey = "svix-signature",
    };

    /// <summary>
    /// A new secret like Svix issues: <c>whsec_</c> + base64 of 24 random bytes. Made here because
    /// StandardWebhooks has no secret generator.
    /// </summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The <c>svix-signature</c> value for one attempt.</summary>
    /// <param name="secret">The endpoint's secret, with or without <c>whsec_</c>.</param>
    /// <param name="messageId">The <c>svix-id</c>, stable across retries.</param>
    /// <param name="timestamp">The <c>svix-timestamp</c>, Unix seconds of this attempt.</param>
    /// <param name="body">The exact body sent.</param>
    public static string Sign(string secret, string messageId, long timestamp, string body) =>
        new StandardWebhook(DecodeSecret(secret), Headers).Sign(messageId, DateTimeOffset.FromUnixTimeSeconds(timestamp), body);

    // The library decodes secrets too, but would sign with an empty key; a secret that decodes to nothing is a bug.
    private static byte[] DecodeSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        if (key.Length == 0)
        {
            throw new ArgumentException("The webhook secret is empty.", nameof(secret));
        }

        return key;
    }
}

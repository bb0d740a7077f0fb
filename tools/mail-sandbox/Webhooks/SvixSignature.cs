using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.MailSandbox.Webhooks;

/// <summary>
/// The Svix / Standard Webhooks signature: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
/// where the key is the base64-decoded secret without its <c>whsec_</c> prefix and the body is the raw bytes sent.
/// </summary>
public static class SvixSignature
{
    private const string SecretPrefix = "whsec_";

    /// <summary>A new secret like Svix issues: <c>whsec_</c> + base64 of 24 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The <c>svix-signature</c> value for one attempt.</summary>
    /// <param name="secret">The endpoint's secret, with or without <c>whsec_</c>.</param>
    /// <param name="messageId">The <c>svix-id</c>, stable across retries.</param>
    /// <param name="timestamp">The <c>svix-timestamp</c>, Unix seconds of this attempt.</param>
    /// <param name="body">The exact body sent.</param>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        if (key.Length == 0)
        {
            throw new ArgumentException("The webhook secret is empty.", nameof(secret));
        }

        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}

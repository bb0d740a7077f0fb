using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Signs a webhook body the Svix way (<c>v1,</c> base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> under the
/// <c>whsec_</c> secret's bytes), so the attack can send requests that are correctly signed yet must still be refused:
/// stale, future, or signed with another tenant's secret.
/// </summary>
public static class SvixSigner
{
    /// <summary>The <c>svix-*</c> headers for <paramref name="body"/> signed with <paramref name="secret"/> at <paramref name="timestamp"/>.</summary>
    public static IReadOnlyDictionary<string, string> Headers(string secret, string svixId, DateTimeOffset timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{svixId}.{seconds}.").Concat(body).ToArray();
        return new Dictionary<string, string>
        {
            ["svix-id"] = svixId,
            ["svix-timestamp"] = seconds,
            ["svix-signature"] = $"v1,{Convert.ToBase64String(HMACSHA256.HashData(key, signed))}",
        };
    }

    /// <summary>A secret nobody registered, for forged signatures.</summary>
    public static string ForgedSecret() => $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";
}

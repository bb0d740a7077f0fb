using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.MailSandbox.Tests.Support;

/// <summary>
/// An independent Svix verifier written from the scheme's description (not the sandbox's signer), so a
/// delivered webhook is checked the way a receiver would check it.
/// </summary>
public static class SvixCheck
{
    /// <summary>True when one <c>v1</c> entry of <paramref name="signatureHeader"/> is the HMAC of <c>id.timestamp.body</c> under <paramref name="secret"/>.</summary>
    public static bool IsValid(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret.Replace("whsec_", "", StringComparison.Ordinal));
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"))));
        return signatureHeader.Split(' ')
            .Select(entry => entry.Split(',', 2))
            .Where(parts => parts.Length == 2 && parts[0] == "v1")
            .Any(parts => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), expected));
    }

    /// <summary>True when the timestamp is within Svix's five-minute tolerance of now.</summary>
    public static bool IsFresh(string timestamp) =>
        Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, CultureInfo.InvariantCulture)) <= 300;
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.InboundRouter.Tests.Support;

/// <summary>Signs a body the way Svix does (docs/webhook-signatures.md §2), for deliveries a spec forges or replays.</summary>
public static class SvixSigner
{
    /// <summary>The three <c>svix-*</c> headers of <paramref name="body"/> under <paramref name="secret"/> at <paramref name="at"/>.</summary>
    public static Dictionary<string, string> Headers(string secret, string svixId, DateTimeOffset at, byte[] body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{svixId}.{timestamp}.").Concat(body).ToArray();
        return new Dictionary<string, string>
        {
            ["svix-id"] = svixId,
            ["svix-timestamp"] = timestamp,
            ["svix-signature"] = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)),
        };
    }
}

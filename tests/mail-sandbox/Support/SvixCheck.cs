using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.MailSandbox.Tests.Support;

/// <summary>
/// Checks a delivered webhook the way a receiving service does: with the building blocks' verifier
/// (StandardWebhooks, svix-* headers), not with anything of the sandbox's own.
/// </summary>
public static class SvixCheck
{
    /// <summary>True when the services' verifier accepts this delivery under <paramref name="secret"/>.</summary>
    public static bool IsValid(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var headers = new HeaderDictionary
        {
            ["svix-id"] = id,
            ["svix-timestamp"] = timestamp,
            ["svix-signature"] = signatureHeader,
        };
        return new SvixWebhookVerifier(secret).Verify(Encoding.UTF8.GetBytes(body), headers).IsVerified;
    }

    /// <summary>True when the timestamp is within Svix's five-minute tolerance of now.</summary>
    public static bool IsFresh(string timestamp) =>
        Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, CultureInfo.InvariantCulture)) <= 300;
}

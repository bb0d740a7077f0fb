using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace OrdersMail.BuildingBlocks.Webhooks;

/// <summary>
/// Verifies a webhook signed the way Svix signs Resend's and AgentMail's: Standard Webhooks with the
/// <c>svix-id</c>, <c>svix-timestamp</c> and <c>svix-signature</c> headers, a timestamp within five minutes of
/// now either way, and any <c>v1</c> entry of the signature header matching. Never throws on what a request
/// carries: every failure is a <see cref="WebhookRefusal"/>.
/// </summary>
/// <remarks>
/// The signature is computed by StandardWebhooks (<see cref="StandardWebhook.Sign"/>). Its <c>Verify</c> is not
/// used, because in StandardWebhooks 1.1.2 it (as checked against the package) reads the whole header instead of
/// the last entry of a multi-entry <c>svix-signature</c>, so a valid signature placed last (a rotated secret's,
/// or one after a <c>v1a</c> entry) is refused; throws <see cref="ArgumentNullException"/> on an empty entry
/// (<c>v1,</c>) instead of trying the next one; and reads <see cref="DateTimeOffset.UtcNow"/>, so its tolerance
/// cannot be checked against Svix's fixed-time test vectors. The header, tolerance and entry checks are therefore
/// written here, in the order Svix's own libraries run them.
/// </remarks>
public sealed class SvixWebhookVerifier
{
    // Svix's tolerance; a timestamp exactly this many seconds away still passes.
    private const long ToleranceSeconds = 300;
    private const string SecretPrefix = "whsec_";
    private const string SignatureVersion = "v1";

    private static readonly WebhookConfigurationOptions SvixHeaders = new()
    {
        IdHeaderKey = "svix-id",
        TimestampHeaderKey = "svix-timestamp",
        SignatureHeaderKey = "svix-signature",
    };

    // StandardWebhooks signs a string; the body arrives as bytes. A strict decoder refuses bytes that are not
    // UTF-8 instead of turning them into U+FFFD and verifying a body that was never sent.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly StandardWebhook _webhook;
    private readonly TimeProvider _clock;

    /// <summary>A verifier for one endpoint's secret.</summary>
    /// <param name="secret">The endpoint's signing secret, <c>whsec_</c> + base64 (the prefix is optional).</param>
    /// <param name="clock">What "now" is for the tolerance; the system clock unless a test pins it.</param>
    /// <exception cref="ArgumentException">The secret is empty or not base64 of a non-empty key.</exception>
    public SvixWebhookVerifier(string secret, TimeProvider? clock = null)
    {
        _webhook = new StandardWebhook(DecodeSecret(secret), SvixHeaders);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Checks one delivery.</summary>
    /// <param name="body">The raw request body, byte for byte as received.</param>
    /// <param name="headers">The request's headers (names are matched case-insensitively).</param>
    public WebhookVerification Verify(ReadOnlySpan<byte> body, IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (SingleValue(headers, SvixHeaders.IdHeaderKey) is not { } id
            || SingleValue(headers, SvixHeaders.TimestampHeaderKey) is not { } timestamp
            || SingleValue(headers, SvixHeaders.SignatureHeaderKey) is not { } signatures)
        {
            return WebhookVerification.Refused(WebhookRefusal.MissingHeaders);
        }

        if (!TryParseSeconds(timestamp, out var seconds))
        {
            return WebhookVerification.Refused(WebhookRefusal.InvalidTimestamp);
        }

        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (seconds < now - ToleranceSeconds)
        {
            return WebhookVerification.Refused(WebhookRefusal.StaleTimestamp);
        }

        if (seconds > now + ToleranceSeconds)
        {
            return WebhookVerification.Refused(WebhookRefusal.FutureTimestamp);
        }

        if (!TryDecode(body, out var payload))
        {
            return WebhookVerification.Refused(WebhookRefusal.BodyNotUtf8);
        }

        return TrySign(id, seconds, payload, out var expected) && AnyEntryMatches(signatures, expected)
            ? WebhookVerification.Verified(id)
            : WebhookVerification.Refused(WebhookRefusal.NoMatchingSignature);
    }

    // The library decodes secrets too, but signs with an empty key and throws a bare FormatException.
    private static byte[] DecodeSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var key = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, key, out var length) || length == 0)
        {
            throw new ArgumentException("A webhook secret is whsec_ followed by the base64 of a non-empty key.", nameof(secret));
        }

        return key[..length];
    }

    private static string? SingleValue(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    // Plain digits in their canonical form only: the library signs the timestamp it re-prints from the parsed
    // value, so "+1614265330" or "01614265330" would have it verify content other than what was sent.
    private static bool TryParseSeconds(string timestamp, out long seconds) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
        && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && seconds.ToString(CultureInfo.InvariantCulture) == timestamp;

    private static bool TryDecode(ReadOnlySpan<byte> body, out string payload)
    {
        try
        {
            payload = StrictUtf8.GetString(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            payload = "";
            return false;
        }
    }

    private bool TrySign(string id, long seconds, string payload, out string expected)
    {
        try
        {
            expected = _webhook.Sign(id, DateTimeOffset.FromUnixTimeSeconds(seconds), payload);
            return true;
        }
        catch (EncoderFallbackException)
        {
            // An id with no UTF-8 form (a lone surrogate) cannot have been signed by anyone.
            expected = "";
            return false;
        }
    }

    // Svix's rule: entries are space-separated "version,signature"; versions other than v1 (v1a's ed25519 among
    // them) and entries without a comma are skipped; any v1 match is enough. Compared in constant time.
    private static bool AnyEntryMatches(string signatures, string expected)
    {
        var expectedSignature = MemoryMarshal.AsBytes(expected.AsSpan(SignatureVersion.Length + 1));
        var header = signatures.AsSpan();
        foreach (var range in header.Split(' '))
        {
            var entry = header[range];
            var comma = entry.IndexOf(',');
            if (comma < 0 || !entry[..comma].SequenceEqual(SignatureVersion))
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(entry[(comma + 1)..]), expectedSignature))
            {
                return true;
            }
        }

        return false;
    }
}

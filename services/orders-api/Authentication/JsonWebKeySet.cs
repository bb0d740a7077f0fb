using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Reads a JWKS (<c>{"keys":[{"kty":"RSA","kid":"ins_…","use":"sig","alg":"RS256","n":"…","e":"AQAB"}]}</c>) into
/// the RS256 verification keys it holds, by <c>kid</c>.
/// </summary>
public static class JsonWebKeySet
{
    /// <summary>
    /// The usable keys of <paramref name="json"/>. Entries that cannot verify RS256 session tokens (another key type,
    /// <c>use</c> other than <c>sig</c>, <c>alg</c> other than RS256, no <c>kid</c>, a broken or short modulus) are
    /// left out rather than failing the whole set, so one odd entry cannot lock every user out.
    /// </summary>
    /// <exception cref="JsonException">The text is not a JSON object with a <c>keys</c> array.</exception>
    public static IReadOnlyDictionary<string, RsaVerificationKey> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("keys", out var keys)
            || keys.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("A JWKS is a JSON object with a keys array.");
        }

        var byKid = new Dictionary<string, RsaVerificationKey>(StringComparer.Ordinal);
        foreach (var entry in keys.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && StringMember(entry, "kid") is { Length: > 0 } kid && ToKey(entry) is { } key)
            {
                byKid.TryAdd(kid, key);
            }
        }

        return byKid;
    }

    private static RsaVerificationKey? ToKey(JsonElement entry)
    {
        if (StringMember(entry, "kty") != "RSA"
            || (entry.TryGetProperty("use", out _) && StringMember(entry, "use") != "sig")
            || (entry.TryGetProperty("alg", out _) && StringMember(entry, "alg") != "RS256")
            || StringMember(entry, "n") is not { } n || !Base64Url.IsValid(n)
            || StringMember(entry, "e") is not { } e || !Base64Url.IsValid(e))
        {
            return null;
        }

        try
        {
            return RsaVerificationKey.FromModulusAndExponent(Base64Url.DecodeFromChars(n), Base64Url.DecodeFromChars(e));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

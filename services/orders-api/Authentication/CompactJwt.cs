using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// A token split into its three JWS compact segments and base64url-decoded, nothing more: the header is parsed
/// only once the shape is right, the payload only once the signature verifies (<see cref="SessionTokenValidator"/>).
/// </summary>
public sealed class CompactJwt
{
    // A Clerk header or payload is shallow, so deep nesting is refused to keep parsing cheap; a repeated name is
    // refused because two parsers may pick different copies of it (an "alg" that reads RS256 here and none there).
    private static readonly JsonDocumentOptions JsonLimits = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    private CompactJwt(JsonElement header, byte[] payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>The JOSE header, a JSON object.</summary>
    public JsonElement Header { get; }

    /// <summary>The payload's UTF-8 bytes, not yet parsed.</summary>
    public byte[] Payload { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, what the signature signs.</summary>
    public byte[] SigningInput { get; }

    /// <summary>The decoded signature.</summary>
    public byte[] Signature { get; }

    /// <summary>A header parameter when it is present and a string; null otherwise.</summary>
    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// Splits <paramref name="token"/> into exactly three non-empty base64url segments and parses the header;
    /// anything else is <see cref="SessionTokenRejection.Malformed"/> or <see cref="SessionTokenRejection.MalformedJson"/>.
    /// </summary>
    public static CompactJwt? TryParse(string token, out SessionTokenRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(token);
        var segments = token.Split('.');
        if (segments.Length != 3 || !segments.All(IsBase64Url))
        {
            rejection = SessionTokenRejection.Malformed;
            return null;
        }

        var header = Base64Url.DecodeFromChars(segments[0]);
        var payload = Base64Url.DecodeFromChars(segments[1]);
        var signature = Base64Url.DecodeFromChars(segments[2]);
        var headerObject = ParseObject(header);
        if (headerObject is null)
        {
            rejection = SessionTokenRejection.MalformedJson;
            return null;
        }

        rejection = null;
        return new CompactJwt(headerObject.Value, payload, Encoding.ASCII.GetBytes($"{segments[0]}.{segments[1]}"), signature);
    }

    /// <summary>The payload as a JSON object, or null when it is not one.</summary>
    public JsonElement? ParsePayload() => ParseObject(Payload);

    private static bool IsBase64Url(string segment) =>
        segment.Length > 0 && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && Base64Url.IsValid(segment);

    private static JsonElement? ParseObject(byte[] utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, JsonLimits);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OrdersMail.Testing.Tokens;

/// <summary>Compact JWTs taken apart and put together by hand, for tokens no honest issuer would mint.</summary>
public static class Jwt
{
    /// <summary>The decoded header and payload of <paramref name="token"/>.</summary>
    public static (JsonObject Header, JsonObject Claims) Decode(string token)
    {
        var segments = token.Split('.');
        return (Part(segments[0]), Part(segments[1]));
    }

    /// <summary>A segment: the base64url of the object's UTF-8 JSON.</summary>
    public static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));

    /// <summary><c>header.payload.signature</c>, the signature already base64url-encoded.</summary>
    public static string Compose(JsonObject header, JsonObject claims, string signature) => $"{Encode(header)}.{Encode(claims)}.{signature}";

    /// <summary>A token signed RS256 with <paramref name="key"/>, as Clerk signs.</summary>
    public static string SignRs256(JsonObject header, JsonObject claims, RSA key)
    {
        var signingInput = $"{Encode(header)}.{Encode(claims)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>A token "signed" HS256 with <paramref name="secret"/>: the forgery that works on verifiers trusting the header's alg.</summary>
    public static string SignHs256(JsonObject header, JsonObject claims, byte[] secret)
    {
        var signingInput = $"{Encode(header)}.{Encode(claims)}";
        return $"{signingInput}.{Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)))}";
    }

    private static JsonObject Part(string segment) => JsonNode.Parse(Base64Url.DecodeFromChars(segment))!.AsObject();
}

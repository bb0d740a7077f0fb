using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrdersMail.BuildingBlocks.Tests.Webhooks;

/// <summary>Svix's official test vectors (docs/webhook-signatures.md §5), as the verifier receives them.</summary>
public static class SvixVectors
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const long Timestamp = 1614265330;
    public const string Body = "{\"test\": 2432232314}";
    public const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /// <summary>A v1 entry that matches nothing (the official negative vector).</summary>
    public const string WrongSignature = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

    /// <summary>An ed25519 <c>v1a</c> entry, as in Svix's header example: a version the libraries skip.</summary>
    public const string AsymmetricEntry = "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzP0pMgctD0tFbVbOt4zbv81hAlLtMIjcEybwgBCA==";

    public static byte[] Utf8(string body) => Encoding.UTF8.GetBytes(body);

    public static HeaderDictionary Headers(string id = Id, string? timestamp = null, string signature = Signature) => new()
    {
        ["svix-id"] = id,
        ["svix-timestamp"] = timestamp ?? Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["svix-signature"] = signature,
    };
}

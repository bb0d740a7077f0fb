using System.Security.Cryptography;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// The public half of a Clerk signing key, checking RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures. Only the
/// parameters are kept: each check imports them into its own <see cref="RSA"/>, so keys can be swapped while
/// requests are being verified without anyone disposing an instance another request is using.
/// </summary>
public sealed class RsaVerificationKey
{
    /// <summary>Clerk signs with RSA-2048; a shorter modulus is refused as too weak to trust.</summary>
    public const int MinimumModulusBits = 2048;

    private readonly RSAParameters _parameters;

    private RsaVerificationKey(RSAParameters parameters) => _parameters = parameters;

    /// <summary>The key of a JWKS entry's base64url-decoded <c>n</c> and <c>e</c>.</summary>
    /// <exception cref="CryptographicException">They are no usable RSA public key.</exception>
    public static RsaVerificationKey FromModulusAndExponent(byte[] modulus, byte[] exponent)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
        return From(rsa);
    }

    /// <summary>The key of a PEM text (Clerk's SPKI <c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <exception cref="ArgumentException">The text holds no PEM key.</exception>
    /// <exception cref="CryptographicException">The key is no usable RSA key.</exception>
    public static RsaVerificationKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        using var rsa = RSA.Create();

        // Environment variables often carry a PEM on one line with literal \n escapes, as Clerk's dashboard shows it.
        rsa.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
        return From(rsa);
    }

    /// <summary>Whether <paramref name="signature"/> is this key's RS256 signature of <paramref name="signingInput"/>.</summary>
    public bool Verifies(byte[] signingInput, byte[] signature)
    {
        using var rsa = RSA.Create(_parameters);
        return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static RsaVerificationKey From(RSA rsa)
    {
        if (rsa.KeySize < MinimumModulusBits)
        {
            throw new CryptographicException($"An RSA key of {rsa.KeySize} bits is shorter than {MinimumModulusBits}.");
        }

        return new RsaVerificationKey(rsa.ExportParameters(includePrivateParameters: false));
    }
}

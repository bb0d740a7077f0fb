using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Clerk's PEM public key (<see cref="ClerkSessionOptions.PublicKeyPem"/>, SPKI <c>-----BEGIN PUBLIC KEY-----</c>)
/// as the signing key JwtBearer verifies with when it is configured.
/// </summary>
public static class ClerkPublicKey
{
    /// <summary>Clerk signs with RSA-2048; a shorter modulus is refused as too weak to trust.</summary>
    public const int MinimumModulusBits = 2048;

    /// <summary>The RSA key of <paramref name="pem"/>, public parameters only.</summary>
    /// <exception cref="ArgumentException">The text holds no PEM key.</exception>
    /// <exception cref="CryptographicException">The key is no RSA key of at least <see cref="MinimumModulusBits"/> bits.</exception>
    public static RsaSecurityKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        using var rsa = RSA.Create();

        // Environment variables often carry a PEM on one line with literal \n escapes, as Clerk's dashboard shows it.
        rsa.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
        if (rsa.KeySize < MinimumModulusBits)
        {
            throw new CryptographicException($"An RSA key of {rsa.KeySize} bits is shorter than {MinimumModulusBits}.");
        }

        return new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
    }
}

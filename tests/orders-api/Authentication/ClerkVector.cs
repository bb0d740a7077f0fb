namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// The deterministic RS256 vector of docs/clerk.md §7, checked against Clerk's own <c>verifyToken</c>
/// (<c>@clerk/backend</c> 2.33.8): accepted at 1700000000 and 1700000064, expired at 1700000066. The public key is
/// <c>pemEncodedPublicKey</c> from that package's test fixtures.
/// </summary>
public static class ClerkVector
{
    /// <summary>The vector's <c>iss</c>.</summary>
    public const string Issuer = "https://example.clerk.accounts.dev";

    /// <summary>The vector's <c>iat</c>; its <c>exp</c> is 60 s later.</summary>
    public const long IssuedAt = 1_700_000_000;

    /// <summary>The signed token.</summary>
    public const string Token =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc190ZXN0X2VtdWxhdG9yIiwidHlwIjoiSldUIn0." +
        "eyJhenAiOiJodHRwOi8vbG9jYWxob3N0OjMwMDAiLCJleHAiOjE3MDAwMDAwNjAsImZ2YSI6WzAsLTFdLCJpYXQiOjE3MDAwMDAwMDAsImlzcyI6Imh0dHBzOi8vZXhhbXBsZS5jbGVyay5hY2NvdW50cy5kZXYiLCJqdGkiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMyIsIm5iZiI6MTY5OTk5OTk5MCwic2lkIjoic2Vzc190ZXN0MTIzIiwic3RzIjoiYWN0aXZlIiwic3ViIjoidXNlcl90ZXN0MTIzIiwidiI6Mn0." +
        "aawmEkvPSy4uN91KXVWxV41BcVvvzbGxXK6f8A1OffkLYUU7kJwv3GMrCbs-m3IF4nJX6O9R9rVtn3m0C6sG-xXp0AnUcOIWrzQ2UIQ7KVWEjWdIvfaKjDY1e_PLRevqN7aeKQ_qRz8WGVCgVgzybd5ojEfjV4UNqBIbkKUqopjUKx3E84_tQymf48ylTe-14zEKZxmhmtz0vUwb885BEFS8U7sD-7J40zHSLObzd2Hohc9W6D6Ahu2f_s5uQT9lQ55owlkWiI_ho2aDAVfLSONOkja33m6oIx5VuVqjspBNYUV2rGfYj9jd07-aVPwjY6oaQf4AwZpYFxFpMgD-zw";

    /// <summary>The public key the token verifies with.</summary>
    public const string PublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqYy3MY8fOneEyzNDu9lp
        6iGXKkNUF+u/dUnrlkadZYyB35efzKFJEr9fftmWv5PUj1uRHTQ3bh6X1cceOYsI
        jy008dHWZJsKhGOxgdTjeK91rjaklxt7tyFXEiKHIOr1LSgKzopClOfCIjxK/oPU
        Of38pVh7WnekcSBQmU5fqA+EzKMi6k9VwvbzqKlZM4XQsiFyn28d9VubJWjTU8nN
        ot0n1NE+9k6TxM8nglM4RwkBH4Ni4B0LhKKOOV+AG8tBNiZVil415dpBldmJ/j0w
        k7Ad4VFi9en3Z17oCKr+K+zuT7vKMKSb1548dk0vnmi0vj2QGXSo+61wM5yQWpk6
        sQIDAQAB
        -----END PUBLIC KEY-----
        """;
}

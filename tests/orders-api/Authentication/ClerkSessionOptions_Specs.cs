using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>The <c>Clerk</c> settings as <see cref="ClerkAuthentication.AddClerkAuthentication"/> binds and checks them.</summary>
public sealed class ClerkSessionOptions_Specs
{
    [Fact]
    public void When_only_the_instance_and_the_web_app_are_configured_Should_use_clerks_defaults_for_the_rest()
    {
        var options = Bind(Instance);

        Assert.Null(options.PublicKeyPem);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(5), options.JwksCacheDuration);
        Assert.Equal(8192, options.MaxTokenLength);
    }

    /// <summary>
    /// No Clerk instance or web app is assumed: a deployment that named none refuses to start, naming each key, rather
    /// than trusting whatever answers at the local sandbox's address and the local web app's origin.
    /// </summary>
    [Fact]
    public void When_nothing_is_configured_Should_refuse_to_start_naming_the_instance_and_the_web_app_keys()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind([]));

        Assert.Contains("Clerk:Issuer", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Clerk:JwksUrl", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Clerk:AuthorizedParties", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_public_key_is_pinned_Should_need_no_jwks_url()
    {
        var options = Bind(new()
        {
            ["Clerk:Issuer"] = "https://clerk.orders.example",
            ["Clerk:AuthorizedParties:0"] = "https://orders.example",
            ["Clerk:PublicKeyPem"] = ClerkVector.PublicKeyPem,
        });

        Assert.Null(options.JwksUrl);
    }

    [Fact]
    public void When_settings_are_configured_Should_bind_them()
    {
        var options = Bind(new()
        {
            ["Clerk:JwksUrl"] = "https://clerk.orders.example/.well-known/jwks.json",
            ["Clerk:Issuer"] = "https://clerk.orders.example",
            ["Clerk:AuthorizedParties:0"] = "https://orders.example",
            ["Clerk:AuthorizedParties:1"] = "https://admin.orders.example",
            ["Clerk:ClockSkew"] = "00:00:02",
            ["Clerk:JwksCacheDuration"] = "00:10:00",
            ["Clerk:MaxTokenLength"] = "4096",
        });

        Assert.Equal(new Uri("https://clerk.orders.example/.well-known/jwks.json"), options.JwksUrl);
        Assert.Equal("https://clerk.orders.example", options.Issuer);
        Assert.Equal(["https://orders.example", "https://admin.orders.example"], options.AuthorizedParties);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(10), options.JwksCacheDuration);
        Assert.Equal(4096, options.MaxTokenLength);
    }

    [Fact]
    public void When_a_public_key_pem_is_configured_on_one_line_Should_accept_its_escaped_newlines()
    {
        var options = Bind(new(Instance) { ["Clerk:PublicKeyPem"] = ClerkVector.PublicKeyPem.Replace("\n", "\\n", StringComparison.Ordinal) });

        Assert.NotNull(ClerkPublicKey.FromPem(options.PublicKeyPem!));
    }

    [Theory]
    [InlineData("Clerk:Issuer", "")]
    [InlineData("Clerk:Issuer", "clerk.orders.example")]
    [InlineData("Clerk:JwksUrl", "/clerk/.well-known/jwks.json")]
    [InlineData("Clerk:JwksUrl", "file:///etc/jwks.json")]
    [InlineData("Clerk:PublicKeyPem", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")]
    [InlineData("Clerk:ClockSkew", "00:05:00")]
    [InlineData("Clerk:ClockSkew", "-00:00:01")]
    [InlineData("Clerk:JwksCacheDuration", "00:00:00")]
    [InlineData("Clerk:JwksCacheDuration", "00:04:59")]
    [InlineData("Clerk:MaxTokenLength", "0")]
    public void When_a_setting_is_unusable_Should_refuse_to_start(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new(Instance) { [key] = value }));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_public_key_shorter_than_2048_bits_is_configured_Should_refuse_to_start()
    {
        using var weak = System.Security.Cryptography.RSA.Create(1024);

        Assert.Throws<OptionsValidationException>(() => Bind(new(Instance) { ["Clerk:PublicKeyPem"] = weak.ExportSubjectPublicKeyInfoPem() }));
    }

    // The settings every deployment names: its Clerk instance and its web app.
    private static readonly Dictionary<string, string?> Instance = new()
    {
        ["Clerk:JwksUrl"] = "https://clerk.orders.example/.well-known/jwks.json",
        ["Clerk:Issuer"] = "https://clerk.orders.example",
        ["Clerk:AuthorizedParties:0"] = "https://orders.example",
    };

    private static ClerkSessionOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddClerkAuthentication();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<ClerkSessionOptions>>().Get(ClerkAuthentication.SchemeName);
    }
}

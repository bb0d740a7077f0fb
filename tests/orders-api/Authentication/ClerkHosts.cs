using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// orders-api, unchanged but for its <c>Clerk</c> settings, the clock its Clerk scheme reads (JwtBearer's own
/// <c>TimeProvider</c> option) and, when given, what answers its JWKS requests in place of the network.
/// </summary>
public static class ClerkHosts
{
    /// <summary>A host like <paramref name="api"/> with <paramref name="clerkSettings"/> on top of its settings.</summary>
    public static WebApplicationFactory<Program> WithClerk(
        this WebApplicationFactory<Program> api,
        Dictionary<string, string?> clerkSettings,
        TimeProvider? clock = null,
        HttpMessageHandler? jwksEndpoint = null) =>
        api.WithWebHostBuilder(host => host
            .ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(clerkSettings))
            .ConfigureTestServices(services =>
            {
                if (clock is not null)
                {
                    services.PostConfigure<JwtBearerOptions>(ClerkAuthentication.SchemeName, options => options.TimeProvider = clock);
                }

                if (jwksEndpoint is not null)
                {
                    services.AddHttpClient(ClerkAuthentication.JwksHttpClientName).ConfigurePrimaryHttpMessageHandler(() => jwksEndpoint);
                }
            }));
}

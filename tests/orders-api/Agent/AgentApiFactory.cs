using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// orders-api, unchanged, writing its mail outbox into <paramref name="outboxDirectory"/>, with the sandbox's chat
/// completions as the agent's model when <paramref name="modelTimeout"/> is given, and <paramref name="moreSettings"/>;
/// its clock is <paramref name="clock"/> when given, as on a host whose clock is not the database's.
/// </summary>
public sealed class AgentApiFactory(
    TestInfrastructure infrastructure,
    MailSandboxServer sandbox,
    string outboxDirectory,
    TimeSpan? modelTimeout,
    IReadOnlyDictionary<string, string?> moreSettings,
    TimeProvider? clock = null)
    : ServiceHostFactory<Program>(infrastructure)
{
    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (clock is not null)
        {
            // The sandbox mints session tokens on the machine's clock, so they are judged on it; the rest of the host
            // keeps the given clock.
            builder.ConfigureTestServices(services => services
                .AddSingleton(clock)
                .PostConfigure<JwtBearerOptions>(ClerkAuthentication.SchemeName, options => options.TimeProvider = TimeProvider.System));
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Clerk:JwksUrl"] = sandbox.ClerkJwksUrl,
                ["Clerk:Issuer"] = sandbox.ClerkIssuer,
                ["Clerk:AuthorizedParties:0"] = OrdersApiFactory.WebAppOrigin,
                ["MailOutbox:Directory"] = outboxDirectory,
            };
            if (modelTimeout is { } timeout)
            {
                settings["Agent:ChatCompletions:Url"] = new Uri(sandbox.BaseUrl, "openai/v1/chat/completions").ToString();
                settings["Agent:ChatCompletions:ApiKey"] = "sk-orders-agent-test";
                settings["Agent:ChatCompletions:Model"] = "gpt-sandbox";
                settings["Agent:ChatCompletions:Timeout"] = timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            }

            foreach (var (key, value) in moreSettings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }
}

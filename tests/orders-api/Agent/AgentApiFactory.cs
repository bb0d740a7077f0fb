using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// orders-api, unchanged, writing its mail outbox into <paramref name="outboxDirectory"/>, with the sandbox's chat
/// completions as the agent's model when <paramref name="modelTimeout"/> is given, and <paramref name="moreSettings"/>.
/// </summary>
public sealed class AgentApiFactory(
    TestInfrastructure infrastructure, MailSandboxServer sandbox, string outboxDirectory, TimeSpan? modelTimeout, IReadOnlyDictionary<string, string?> moreSettings)
    : ServiceHostFactory<Program>(infrastructure)
{
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

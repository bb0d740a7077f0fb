using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Support;

/// <summary>orders-api, unchanged, on a test class's database and vhost, trusting the sandbox's Clerk issuer.</summary>
/// <param name="infrastructure">The class's database and vhost.</param>
/// <param name="sandbox">The sandbox whose Clerk issuer signs the tokens.</param>
/// <param name="moreSettings">A spec's own settings, over these.</param>
public sealed class OrdersApiFactory(TestInfrastructure infrastructure, MailSandboxServer sandbox, IReadOnlyDictionary<string, string?>? moreSettings = null)
    : ServiceHostFactory<Program>(infrastructure)
{
    /// <summary>The origin the web app runs on, the only authorized party the tests configure.</summary>
    public const string WebAppOrigin = "http://localhost:3000";

    // The agent and the confirmation write mail files; specs that do not read them keep them out of the build output.
    private readonly string _outboxDirectory = Path.Combine(Path.GetTempPath(), "ordersmail-specs", $"outbox-{Guid.NewGuid():N}");

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Clerk:JwksUrl"] = sandbox.ClerkJwksUrl,
                ["Clerk:Issuer"] = sandbox.ClerkIssuer,
                ["Clerk:AuthorizedParties:0"] = WebAppOrigin,

                ["MailOutbox:Directory"] = _outboxDirectory,
            };
            foreach (var (key, value) in moreSettings ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            return settings;
        }
    }
}

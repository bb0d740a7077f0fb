using System.Net.Http.Headers;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Support;

/// <summary>
/// A class fixture: a fresh database and vhost, the mail sandbox on a loopback port (its Clerk issuer signs the
/// tokens), and orders-api on them. Clients are signed in as a user of the test's choosing.
/// </summary>
public class OrdersApiFixture : IAsyncLifetime
{
    /// <summary>The database and broker of the class.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox (Clerk tokens, AgentMail, Resend).</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>orders-api.</summary>
    public OrdersApiFactory Api { get; private set; } = null!;

    /// <summary>A client signed in as <paramref name="userId"/> with a fresh sandbox token in the Authorization header.</summary>
    public async Task<HttpClient> SignedInAsync(string userId)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Sandbox.MintTokenAsync(userId));
        return client;
    }

    /// <summary>Settings of a fixture of its own (a placement limit), over the factory's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        Api = new OrdersApiFactory(Infrastructure, Sandbox, MoreSettings);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }
}

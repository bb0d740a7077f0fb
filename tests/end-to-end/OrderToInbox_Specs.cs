extern alias ordersapi;
extern alias provisioner;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.EndToEnd.Tests;

/// <summary>
/// From the web app's <c>POST /api/orders</c> to the customer's inbox: orders-api (outbox, relay) and
/// inbox-provisioner (saga) on one broker and one database server, the sandbox as Clerk and AgentMail.
/// </summary>
public sealed class OrderToInbox_Specs : IAsyncLifetime
{
    private static readonly TimeSpan ProvisioningTimeout = TimeSpan.FromSeconds(60);

    private TestInfrastructure Infrastructure { get; } = new();

    private MailSandboxServer Sandbox { get; set; } = null!;

    private OrdersApi Api { get; set; } = null!;

    private Provisioner InboxProvisioner { get; set; } = null!;

    /// <summary>The order shows its reply address once the saga published InboxReady; AgentMail stores the inbox and its webhook.</summary>
    [Fact]
    public async Task Should_give_a_placed_order_its_customers_inbox_and_scoped_webhook()
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Sandbox.MintTokenAsync("user_e2e_1"));
        var placed = await client.PostAsJsonAsync("/api/orders", new
        {
            customer_email = "jane.buyer@acme.example",
            customer_name = "Jane Buyer",
            currency = "EUR",
            items = new[] { new { sku = "SKU-123", name = "Widget", quantity = 2, unit_price = 9.5m } },
        });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<JsonObject>())!;
        var orderId = order["id"]!.GetValue<Guid>();

        var provisioned = await Eventually.Until(
            async () => (await client.GetFromJsonAsync<JsonObject>($"/api/orders/{orderId}"))!,
            o => o["provisioning"]!["state"]!.GetValue<string>() != "pending",
            ProvisioningTimeout,
            "the order's provisioning to end");

        Assert.Equal("ready", provisioned["provisioning"]!["state"]!.GetValue<string>());
        var inboxId = provisioned["reply_address"]!.GetValue<string>();
        using var agentMail = new HttpClient { BaseAddress = new Uri(Sandbox.AgentMailBaseUrl.TrimEnd('/') + "/") };
        agentMail.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "am_e2e_reader");
        var inbox = (await agentMail.GetFromJsonAsync<JsonObject>($"v0/inboxes/{Uri.EscapeDataString(inboxId)}"))!;
        Assert.Equal(order["order_ref"]!.GetValue<string>(), inbox["metadata"]!["order_ref"]!.GetValue<string>());
        var webhooks = (await agentMail.GetFromJsonAsync<JsonObject>("v0/webhooks"))!["webhooks"]!.AsArray();
        var webhook = Assert.Single(webhooks);
        Assert.Equal([inboxId], webhook!["inbox_ids"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        InboxProvisioner = new Provisioner(Infrastructure, Sandbox);
        Api = new OrdersApi(Infrastructure, Sandbox);
        await WaitReadyAsync(InboxProvisioner.CreateClient(), "inbox-provisioner");
        await WaitReadyAsync(Api.CreateClient(), "orders-api");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (InboxProvisioner is not null)
        {
            await InboxProvisioner.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }

    private static async Task WaitReadyAsync(HttpClient client, string name)
    {
        using (client)
        {
            await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(30), $"{name} to report ready");
        }
    }

    private sealed class OrdersApi(TestInfrastructure infrastructure, MailSandboxServer sandbox) : ServiceHostFactory<ordersapi::Program>(infrastructure)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Clerk:JwksUrl"] = sandbox.ClerkJwksUrl,
            ["Clerk:Issuer"] = sandbox.ClerkIssuer,
            ["Clerk:AuthorizedParties:0"] = "http://localhost:3000",
        };
    }

    private sealed class Provisioner(TestInfrastructure infrastructure, MailSandboxServer sandbox) : ServiceHostFactory<provisioner::Program>(infrastructure)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["InboxProvisioner:AgentMail:BaseUrl"] = sandbox.AgentMailBaseUrl,
        };
    }
}

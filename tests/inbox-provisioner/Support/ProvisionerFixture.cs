using System.Net.Http.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A class fixture: a fresh database and vhost, the sandbox as AgentMail, inbox-provisioner on them (unless a
/// spec runs it as a process of its own), and a probe host that publishes OrderCreated as orders-api's relay
/// would and records what the provisioner publishes.
/// </summary>
public class ProvisionerFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private HttpClient? _client;

    /// <summary>The class's database and vhost.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox.</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>What the sandbox's AgentMail stores, and its faults.</summary>
    public SandboxAgentMail AgentMail { get; private set; } = null!;

    /// <summary>The in-process provisioner, when the fixture runs one.</summary>
    public ProvisionerFactory? Provisioner { get; private set; }

    /// <summary>A client of the in-process provisioner.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("This fixture runs no provisioner of its own.");

    /// <summary>InboxReady and InboxProvisioningFailed as published.</summary>
    public ProvisioningOutcomes Outcomes { get; } = new();

    /// <summary>The spans the in-process provisioner exported, when <see cref="ExportsSpans"/>; null otherwise.</summary>
    public ExportedSpanCollection? Spans { get; private set; }

    /// <summary>Whether the in-process provisioner exports its spans to <see cref="Spans"/>.</summary>
    protected virtual bool ExportsSpans => false;

    /// <summary>Whether the fixture runs the provisioner in-process.</summary>
    protected virtual bool RunsProvisioner => true;

    /// <summary>Settings of the in-process provisioner that differ from <see cref="ProvisionerFactory.For"/>'s.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? SettingOverrides => null;

    private TestServiceHost Probe { get; set; } = null!;

    /// <summary>An order of <paramref name="userId"/>, as orders-api publishes it.</summary>
    public static OrderCreated Order(string userId, DateTimeOffset? placedAt = null, string? email = null) =>
        new(Guid.NewGuid(), $"ORD-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}", userId, email ?? $"{userId}@customers.example", "Jane Buyer", placedAt ?? DateTimeOffset.UtcNow);

    /// <summary>A user id no other spec uses.</summary>
    public static string NewUser() => $"user_{Guid.NewGuid():N}";

    /// <summary>The ops view of an order's saga, from <paramref name="client"/> (default: the in-process provisioner).</summary>
    public async Task<ProvisioningView> SagaAsync(Guid orderId, HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<ProvisioningView>($"/provisioning/{orderId}", ProvisioningJson.Options))!;

    /// <summary>The ops view of an order's saga, or null while there is none yet.</summary>
    public static async Task<ProvisioningView?> TrySagaAsync(Guid orderId, HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync($"/provisioning/{orderId}");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound
            ? null
            : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ProvisioningView>(ProvisioningJson.Options);
    }

    /// <summary>Another holder's lease on the customer for ten minutes, naming no process (so never taken over as gone).</summary>
    public async Task HoldLeaseElsewhereAsync(string userId)
    {
        await using var connection = await Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into provisioning.customer_leases (user_id, holder, expires_at) values (@userId, gen_random_uuid(), now() + interval '10 minutes')",
            new { userId });
    }

    /// <summary>Publishes an order's OrderCreated on the bus.</summary>
    public Task PublishAsync(OrderCreated order) => Probe.Services.GetRequiredService<IBus>().Publish(order);

    /// <summary>A new customer's order, placed and provisioned: its <see cref="InboxReady"/>.</summary>
    public async Task<InboxReady> ProvisionedAsync()
    {
        var order = Order(NewUser());
        await PublishAsync(order);
        return await Outcomes.ReadyAsync(order.OrderId);
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        AgentMail = new SandboxAgentMail(Sandbox);
        Probe = await TestServiceHost.StartAsync(
            TestServiceHost.Identity("provisioning-probe", typeof(ProvisionerFixture).Assembly),
            Infrastructure,
            bus => bus.AddConsumer<ProvisioningOutcomes.Probe>().Endpoint(e => e.Name = "test-provisioning-outcomes"),
            services: s => s.AddSingleton(Outcomes));
        if (RunsProvisioner)
        {
            Spans = ExportsSpans ? new ExportedSpanCollection() : null;
            Provisioner = new ProvisionerFactory(Infrastructure, Sandbox, SettingOverrides, Spans);
            _client = Provisioner.CreateClient().WithOpsKey();
            await Eventually.Until(
                () => _client.GetAsync(HealthEndpoints.ReadyPath),
                r => r.IsSuccessStatusCode,
                ReadyTimeout,
                "inbox-provisioner to report ready");
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (Provisioner is not null)
        {
            await Provisioner.DisposeAsync();
        }

        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        AgentMail?.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }
}

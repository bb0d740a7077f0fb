using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>
/// orders-api on a fresh database and vhost with a mail outbox directory of its own and the given wait for the
/// inbox; the sandbox signs its Clerk tokens. What the confirmation specs place, publish and read back.
/// </summary>
public abstract class ConfirmationFixture(TimeSpan waitForInbox) : IAsyncLifetime
{
    /// <summary>The default Reply-To the specs configure.</summary>
    public const string DefaultReplyTo = "orders@shop.test";

    /// <summary>How often the sweeper looks back over the whole window again.</summary>
    public static readonly TimeSpan FullSweepEvery = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a confirmation waits for the customer's inbox before the sweeper sends it.</summary>
    public TimeSpan WaitForInbox { get; } = waitForInbox;

    /// <summary>The database and broker of the class.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The mail outbox directory.</summary>
    public string OutboxDirectory { get; } = Path.Combine(Path.GetTempPath(), $"ordersmail-confirmation-{Guid.NewGuid():N}");

    /// <summary>orders-api.</summary>
    public ServiceHostFactory<Program> Api { get; private set; } = null!;

    /// <summary>What the class configures besides the confirmation's settings of every class.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    private MailSandboxServer Sandbox { get; set; } = null!;

    /// <summary>
    /// Places an order for <paramref name="userId"/> through the API (<paramref name="body"/>, or the two lines of
    /// <see cref="OrderRequests.Body"/>), in the caller's trace when given; its id and reference.
    /// </summary>
    public async Task<(Guid Id, string OrderRef)> PlaceOrderAsync(string userId, string? traceParent = null, JsonNode? body = null)
    {
        using var client = await ClientOfAsync(userId);
        if (traceParent is not null)
        {
            client.DefaultRequestHeaders.Add("traceparent", traceParent);
        }

        var id = await OrderRequests.PlacedAsync(client, body);
        return (id, (await OrderRequests.GetAsync(client, id))["order_ref"]!.GetValue<string>());
    }

    /// <summary>
    /// Publishes <c>InboxReady</c> or <c>InboxProvisioningFailed</c> on the broker (under <paramref name="messageId"/>, to
    /// redeliver one) and waits until its consumer has handled it.
    /// </summary>
    public async Task PublishAsync<T>(T message, Guid? messageId = null)
        where T : class
    {
        var bus = Api.Services.GetRequiredService<IBus>();
        var consumed = new ConsumedMessages(message is InboxReady ? InboxReadyConsumer.Name : InboxProvisioningFailedConsumer.Name);
        var handle = bus.ConnectConsumeObserver(consumed);
        try
        {
            var id = messageId ?? NewId.NextGuid();
            await bus.Publish(message, context => context.MessageId = id);
            await consumed.WaitForAsync(id);
            Assert.Empty(consumed.Faults);
        }
        finally
        {
            handle.Disconnect();
        }
    }

    /// <summary>The customer's order as the API shows it.</summary>
    public async Task<JsonObject> OrderAsync(string userId, Guid orderId)
    {
        using var client = await ClientOfAsync(userId);
        return await OrderRequests.GetAsync(client, orderId);
    }

    /// <summary>The order's timeline as its customer reads it.</summary>
    public async Task<JsonElement> TimelineAsync(string userId, Guid orderId)
    {
        using var client = await ClientOfAsync(userId);
        return await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/timeline");
    }

    /// <summary>The confirmation files of <paramref name="orderId"/> in the outbox's pending folder.</summary>
    public IReadOnlyList<OutboxEmail> FilesOf(Guid orderId)
    {
        var pending = new MailOutboxFolders(OutboxDirectory).Pending;
        return Directory.Exists(pending)
            ? [.. Directory.GetFiles(pending, "*.json").Select(f => JsonSerializer.Deserialize<OutboxEmail>(File.ReadAllText(f))!).Where(e => e.OrderId == orderId)]
            : [];
    }

    /// <summary>Waits for the order's confirmation file.</summary>
    public Task<IReadOnlyList<OutboxEmail>> WaitForFileAsync(Guid orderId, TimeSpan timeout) =>
        Eventually.Until(() => Task.FromResult(FilesOf(orderId)), files => files.Count > 0, timeout, $"the confirmation of order {orderId}");

    /// <summary>A client signed in as <paramref name="userId"/>, as the web app calls.</summary>
    public async Task<HttpClient> ClientOfAsync(string userId)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Sandbox.MintTokenAsync(userId));
        return client;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Clerk:JwksUrl"] = Sandbox.ClerkJwksUrl,
            ["Clerk:Issuer"] = Sandbox.ClerkIssuer,
            ["Clerk:AuthorizedParties:0"] = Support.OrdersApiFactory.WebAppOrigin,
            ["MailOutbox:Directory"] = OutboxDirectory,
            ["Confirmation:WaitForInbox"] = WaitForInbox.ToString(),
            ["Confirmation:DefaultReplyTo"] = DefaultReplyTo,
            ["Confirmation:SweepInterval"] = "00:00:00.200",
            ["Confirmation:FullSweepEvery"] = FullSweepEvery.ToString(),
            ["Confirmation:RewriteAfter"] = "00:00:02",
        };
        foreach (var (key, value) in MoreSettings)
        {
            settings[key] = value;
        }

        Api = new ConfirmationFactory(Infrastructure, settings);
        using var client = Api.CreateClient();
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, ReadyTimeout, "orders-api to be ready");
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
        if (Directory.Exists(OutboxDirectory))
        {
            Directory.Delete(OutboxDirectory, recursive: true);
        }
    }

    private sealed class ConfirmationFactory(TestInfrastructure infrastructure, IReadOnlyDictionary<string, string?> settings) : ServiceHostFactory<Program>(infrastructure)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => settings;
    }
}

/// <summary>A wait for the inbox far longer than any spec: only events confirm.</summary>
public sealed class PatientConfirmationFixture() : ConfirmationFixture(TimeSpan.FromMinutes(10));

/// <summary>A wait for the inbox of one second: the sweeper confirms.</summary>
public sealed class ImpatientConfirmationFixture() : ConfirmationFixture(TimeSpan.FromSeconds(1));

/// <summary>
/// Only events confirm, and the sweeper takes a claim left unwritten over once it is five seconds old, twice at most:
/// longer than a sweep, so what one sweep wrote is told apart from what the next wrote.
/// </summary>
public sealed class GivingUpConfirmationFixture() : ConfirmationFixture(TimeSpan.FromMinutes(10))
{
    /// <summary>The sweeper's attempts at one claim before it gives it up.</summary>
    public const int MaxAttempts = 2;

    /// <summary>How long a claim stays unwritten before the sweeper takes it again.</summary>
    public static readonly TimeSpan RewriteAfter = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Confirmation:RewriteAfter"] = RewriteAfter.ToString(),
        ["Confirmation:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

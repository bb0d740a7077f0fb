using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Orders;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// The provisioning state machine alone, on MassTransit's in-memory test harness with an in-memory saga repository: no
/// step consumer answers, so a spec plays each step by publishing its answer itself, at the moment it chooses.
/// </summary>
public sealed class SagaHarness : IAsyncDisposable
{
    /// <summary>The limits the specs run the machine with.</summary>
    public const int MaxResumes = 1;

    /// <summary>Read-backs allowed.</summary>
    public const int MaxReconcileAttempts = 3;

    /// <summary>Quick retries of a step AgentMail was unavailable for.</summary>
    public const int StepRetries = 2;

    /// <summary>The first quick retry's wait (the service's default).</summary>
    public static readonly TimeSpan StepRetryDelay = new ProvisioningOptions().StepRetryDelay;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly ServiceProvider _provider;

    private SagaHarness(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<ProvisioningStateMachine, ProvisioningState>();
    }

    /// <summary>The bus and what went through it.</summary>
    public ITestHarness Harness { get; }

    /// <summary>The saga's instances and what it consumed.</summary>
    public ISagaStateMachineTestHarness<ProvisioningStateMachine, ProvisioningState> Saga { get; }

    /// <summary>Starts a harness.</summary>
    public static async Task<SagaHarness> StartAsync()
    {
        var provider = new ServiceCollection()
            .AddOptions<ProvisioningOptions>()
            .Configure(o =>
            {
                o.MaxResumes = MaxResumes;
                o.MaxReconcileAttempts = MaxReconcileAttempts;
                o.StepRetries = StepRetries;
            })
            .Services
            .AddLogging()
            .AddMassTransitTestHarness(x => x.AddSagaStateMachine<ProvisioningStateMachine, ProvisioningState>().InMemoryRepository())
            .BuildServiceProvider(true);
        var harness = new SagaHarness(provider);
        harness.Harness.TestTimeout = Patience;
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>An order of a new customer.</summary>
    public static OrderCreated Order() =>
        new(Guid.NewGuid(), "ORD-SPEC", $"user_{Guid.NewGuid():N}", "jane@customers.example", "Jane Buyer", DateTimeOffset.UtcNow);

    /// <summary>The inbox step's answer for <paramref name="order"/> when it also made sure of the webhook and read it back as asked for.</summary>
    public static CustomerInboxEnsured VerifiedInbox(OrderCreated order) =>
        new(order.OrderId, "jane@agentmail.to", "jane@agentmail.to", Created: true, order.OrderRef, WebhookId: "wh_1", WebhookCreated: true, WebhookVerified: true);

    /// <summary>A new order's saga, waiting for the inbox step.</summary>
    public async Task<OrderCreated> PlacedAsync()
    {
        var order = Order();
        await PublishAsync(order);
        await InStateAsync(order.OrderId, m => m.CreatingInbox);
        return order;
    }

    /// <summary>A saga whose inbox step answered without a webhook, waiting for the webhook step.</summary>
    public async Task<OrderCreated> SubscribingAsync()
    {
        var order = await PlacedAsync();
        await PublishAsync(new CustomerInboxEnsured(order.OrderId, "jane@agentmail.to", "jane@agentmail.to", Created: true, order.OrderRef));
        await InStateAsync(order.OrderId, m => m.SubscribingWebhook);
        return order;
    }

    /// <summary>A saga whose webhook step subscribed <c>wh_1</c>, waiting for the read-back.</summary>
    public async Task<OrderCreated> ReconcilingAsync()
    {
        var order = await SubscribingAsync();
        await PublishAsync(new InboxWebhookSubscribed(order.OrderId, "wh_1", Created: true));
        await InStateAsync(order.OrderId, m => m.ReconcilingWebhook);
        return order;
    }

    /// <summary>
    /// A saga whose read-back was stuck past every resume: the sweeper's last resume failed it and sent the final
    /// read-back, as the last attempt.
    /// </summary>
    public async Task<OrderCreated> FailedWhileReadingBackAsync()
    {
        var order = await ReconcilingAsync();
        for (var resume = 1; resume <= MaxResumes + 1; resume++)
        {
            await PublishAndAwaitAsync(new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow), order.OrderId, resume);
        }

        await InStateAsync(order.OrderId, m => m.Failed);
        Assert.Equal(MaxReconcileAttempts, Sent<ReconcileInboxWebhook>(order.OrderId)[^1].Attempt);
        return order;
    }

    /// <summary>Publishes a message, as a step consumer, the sweeper or ops would.</summary>
    public Task PublishAsync<T>(T message)
        where T : class => Harness.Bus.Publish(message);

    /// <summary>Publishes a message and waits until the saga's endpoint has consumed it <paramref name="times"/> times in all (ignored or not).</summary>
    public async Task PublishAndAwaitAsync<T>(T message, Guid orderId, int times = 1)
        where T : class
    {
        await PublishAsync(message);
        await Eventually.Until(
            () => Task.FromResult(Harness.Consumed.Select<T>(m => CorrelatesTo(m.Context.Message, orderId)).Count()),
            consumed => consumed >= times,
            Patience,
            $"the saga to consume {typeof(T).Name} of order {orderId} {times} time(s)");
    }

    /// <summary>
    /// Delivers <paramref name="message"/> again, as MassTransit marks a redelivered message (<c>MT-Redelivery-Count</c>;
    /// the broker's redelivered flag and an in-process retry are the other ways a consumer sees it), and waits until the
    /// saga has consumed it <paramref name="times"/> times in all.
    /// </summary>
    public async Task DeliverAgainAsync<T>(T message, Guid orderId, int times = 2)
        where T : class
    {
        await Harness.Bus.Publish(message, context => context.Headers.Set(MessageHeaders.RedeliveryCount, 1));
        await Eventually.Until(
            () => Task.FromResult(Harness.Consumed.Select<T>(m => CorrelatesTo(m.Context.Message, orderId)).Count()),
            consumed => consumed >= times,
            Patience,
            $"the saga to consume {typeof(T).Name} of order {orderId} {times} time(s)");
    }

    /// <summary>The saga of <paramref name="orderId"/> once it is in <paramref name="state"/>.</summary>
    public async Task<ProvisioningState> InStateAsync(Guid orderId, Func<ProvisioningStateMachine, State> state)
    {
        Assert.True(await Saga.Exists(orderId, state, Patience) is not null, $"the saga of order {orderId} never reached {state(Saga.StateMachine).Name}");
        return Saga.Sagas.Contains(orderId);
    }

    /// <summary>The state the saga of <paramref name="orderId"/> is in now.</summary>
    public string StateOf(Guid orderId) => Saga.Sagas.Contains(orderId).CurrentState;

    /// <summary>The commands of type <typeparamref name="T"/> sent for <paramref name="orderId"/> so far.</summary>
    public IReadOnlyList<T> Sent<T>(Guid orderId)
        where T : class => [.. Harness.Sent.Select<T>(m => CorrelatesTo(m.Context.Message, orderId)).Select(m => m.Context.Message)];

    /// <summary>The events of type <typeparamref name="T"/> published for <paramref name="orderId"/> so far.</summary>
    public IReadOnlyList<T> Published<T>(Guid orderId)
        where T : class => [.. Harness.Published.Select<T>(m => CorrelatesTo(m.Context.Message, orderId)).Select(m => m.Context.Message)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    // Every provisioning message names its order the same way.
    private static bool CorrelatesTo(object message, Guid orderId) =>
        message.GetType().GetProperty("OrderId")?.GetValue(message) is Guid id && id == orderId;
}

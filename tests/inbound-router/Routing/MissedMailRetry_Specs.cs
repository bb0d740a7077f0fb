using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Learning;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Messaging;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// A look for missed mail that failed is looked at again once <c>Routing:MissedMailRetryDelay</c> has passed, whatever
/// wakes the missed-mail pump meanwhile, not at its next poll, 30 s on.
/// </summary>
public sealed class MissedMailRetry_Specs : IAsyncLifetime
{
    // Long enough for the spec to wake the pump while the look waits, however busy the machine.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);

    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Routing:MissedMailRetryDelay"] = RetryDelay.ToString(),
    });
    private readonly ConsumedMessages _replaced = new(InboxWebhookReplacedConsumer.Name);

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _world.Router.Services.GetRequiredService<IBus>().ConnectConsumeObserver(_replaced);
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    // A pass with nothing due slept the poll interval, whatever it had postponed before: woken by another look's request
    // (or by its timer firing a few milliseconds before the database's clock reached the look's time), the pump forgot the
    // look it had postponed, and its mail waited 30 s (MissedMail_Specs' look postponed 200 ms outlived its 30 s wait).
    [Fact]
    public async Task When_the_pump_is_woken_while_a_failed_look_waits_Should_look_again_after_its_delay_not_at_the_next_poll()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-RETRY-WOKEN");
        await _world.ReadyAsync(orderId, "ORD-RETRY-WOKEN", "user_missed", inboxId, webhookId);
        await _world.DeleteWebhookAsync(webhookId);
        var missed = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Meanwhile", text = "Anyone there?" });
        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);

        await _world.FaultAsync(new { api = "agentmail", operation = "messages.list", malformed_answer = true, times = 1 });
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);
        await Eventually.Until(() => Task.FromResult(looks.Observe()), l => l.GetValueOrDefault("postponed") == 1, TimeSpan.FromSeconds(10), "the look to fail and be postponed");

        // As a look asked for at another inbox would: the pump wakes before this look is due.
        _world.Router.Services.GetRequiredService<MissedMailSignal>().Notify();

        var routed = await Eventually.Until(
            async () => (await _world.OutboxAsync<InboundMessageRouted>()).Where(r => r.GetProperty("messageId").GetString() == missed).ToList(),
            r => r.Count > 0,
            RetryDelay + TimeSpan.FromSeconds(10),
            "the missed message to be routed after the look's retry delay, before the pump's next poll");
        Assert.Equal(orderId, Assert.Single(routed).GetProperty("orderId").GetGuid());
        var counted = looks.Observe();
        Assert.True(counted.GetValueOrDefault("postponed") == 1 && counted.GetValueOrDefault("done") == 1, string.Join(", ", counted));
    }
}

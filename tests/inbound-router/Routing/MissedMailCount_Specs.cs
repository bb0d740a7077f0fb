using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Learning;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Messaging;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// <c>ordersmail.inbound.missed_mail.messages</c> counts every message a look recorded for routing, a pass that failed
/// after recording some of them included: the pass that lists them again records none of them a second time.
/// </summary>
public sealed class MissedMailCount_Specs : IAsyncLifetime
{
    // Two pages of 100 a pass, so a look at 101 messages reads two pages of each listing.
    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Routing:MissedMailRetryDelay"] = "00:00:00.200",
        ["InboundRouter:Routing:MissedMailPages"] = "2",
    });
    private readonly ConsumedMessages _replaced = new(InboxWebhookReplacedConsumer.Name);

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _world.Router.Services.GetRequiredService<IBus>().ConnectConsumeObserver(_replaced);
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    // AgentMail timed out on the second page of the mail of no class: the first page's 100 messages were recorded and
    // routed, and counted only when a pass ended well, so the pass after, which inserted only the last one, counted 1.
    [Fact]
    public async Task When_a_look_fails_after_recording_a_page_Should_count_that_page_s_messages_once_the_look_is_done()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-MISSED-COUNT");
        await _world.ReadyAsync(orderId, "ORD-MISSED-COUNT", "user_missed", inboxId, webhookId);
        await _world.DeleteWebhookAsync(webhookId);
        foreach (var n in Enumerable.Range(0, 101))
        {
            await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = $"Meanwhile {n}", text = "Anyone there?" });
        }

        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        using var recorded = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Messages);
        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);

        // The listings with spam and unauthenticated mail, two pages each, and the first page of the mail of no class
        // are answered; its second page is not, through every retry of the call.
        await _world.FaultAsync(new { api = "agentmail", operation = "messages.list", error_status = 503, skip = 5 });
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);
        await Eventually.Until(() => Task.FromResult(looks.Observe()), l => l.GetValueOrDefault("postponed") >= 1, TimeSpan.FromSeconds(30), "the look to fail on the second page");
        Assert.Equal(100, await RecordedAsync(inboxId));

        await _world.ClearFaultsAsync();
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(30), "the look's row to be deleted");

        Assert.Equal(101, await RecordedAsync(inboxId));
        Assert.Equal(101, recorded.Observe().GetValueOrDefault(""));
        var counted = looks.Observe();
        Assert.True(counted.GetValueOrDefault("done") == 1 && counted.GetValueOrDefault("given_up") == 0, string.Join(", ", counted));
    }

    private async Task<long> RecordedAsync(string inboxId)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from inbound.received_events where inbox_id = @InboxId and event_type = @EventType", new { InboxId = inboxId, MissedMail.EventType });
    }
}

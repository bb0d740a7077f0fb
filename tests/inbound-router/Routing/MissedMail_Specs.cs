using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Learning;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;
using OrdersMail.Testing.Messaging;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// An inbox's webhook deleted at AgentMail: the mail the customer sends meanwhile is kept by AgentMail, but no event
/// says so. When the provisioner replaces the webhook (<see cref="InboxWebhookReplaced"/>), or the first event of a
/// webhook nobody announced shows the old one gone, the router routes that mail, with its body, to its order, once, and
/// routes nothing that it had routed before; an AgentMail outage only delays it.
/// </summary>
public sealed class MissedMail_Specs : IAsyncLifetime
{
    // One page of 100 a pass, so a look at a few more messages is cut short.
    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Routing:MissedMailRetryDelay"] = "00:00:00.200",
        ["InboundRouter:Routing:MissedMailPages"] = "1",
    });
    private readonly ConsumedMessages _replaced = new(InboxWebhookReplacedConsumer.Name);
    private readonly ConsumedMessages _ready = new(InboxReadyConsumer.Name);

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        var bus = _world.Router.Services.GetRequiredService<IBus>();
        bus.ConnectConsumeObserver(_replaced);
        bus.ConnectConsumeObserver(_ready);
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_route_the_mail_an_inbox_received_while_it_had_no_webhook_once_its_webhook_is_replaced()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-MISSED");

        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        using var recovered = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Messages);
        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);
        var replaced = new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow);
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(replaced, replacedId);
        await _world.PublishAsync(replaced, replacedId);
        await _replaced.WaitForAsync(replacedId, 2);

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("Did anyone read this?", routed.GetProperty("text").GetString());
        Assert.Equal("Meanwhile", routed.GetProperty("subject").GetString());
        Assert.Empty(_replaced.Faults);
        Assert.Equal(2, (await _world.OutboxAsync<InboundMessageRouted>()).Count);
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the looks' rows to be deleted");
        Assert.Equal(1, recovered.Observe().GetValueOrDefault(""));
        Assert.True(looks.Observe().GetValueOrDefault("done") >= 1);
    }

    // The provisioner replaced the broken webhook and died before announcing it (its redelivered command then found the
    // new one right), or an order's step made a new one for a customer whose webhook was gone: only the next order's
    // InboxReady names the new webhook. The router moved to it silently, and the mail received meanwhile was never routed.
    [Fact]
    public async Task Should_route_the_mail_missed_meanwhile_when_only_an_InboxReady_names_the_inbox_s_new_webhook_and_look_once_whatever_its_copies()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-READY-SWITCH");

        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);
        var ready = new InboxReady(orderId, "ORD-READY-SWITCH", "user_missed", inboxId, inboxId, newWebhookId, DateTimeOffset.UtcNow);
        var readyId = Guid.NewGuid();
        await _world.PublishAsync(ready, readyId);
        await _ready.WaitForAsync(readyId, 1);

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");

        await _world.PublishAsync(ready, readyId);
        await _ready.WaitForAsync(readyId, 2);
        Assert.Empty(_ready.Faults);
        Assert.Equal(0, await _world.CountAsync("missed_mail_lookups"));
        Assert.Equal(1, looks.Observe().GetValueOrDefault("done"));
        Assert.Equal(1, await _world.CountAsync("retired_webhooks"));
        Assert.Equal(2, (await _world.OutboxAsync<InboundMessageRouted>()).Count);
    }

    // AgentMail lists mail it could not authenticate only when asked, and the look never asked: such mail that came
    // while the webhook was gone got no row, was never parked, and no gauge counted it.
    [Fact]
    public async Task Should_park_the_mail_from_a_sender_agentmail_could_not_authenticate_that_an_inbox_received_while_it_had_no_webhook()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-MISSED-SPOOF");
        var spoofed = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Send me the order details", text = "Please.", authenticated = false });

        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        var parked = Assert.Single(await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == spoofed));
        Assert.Equal(RoutingDecision.UnauthenticatedReason, parked.GetProperty("reason").GetString());
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");
        Assert.DoesNotContain(await _world.OutboxAsync<InboundMessageRouted>(), r => r.GetProperty("messageId").GetString() == spoofed);
        Assert.Single(await _world.OutboxAsync<InboundMessageParked>());
    }

    // AgentMail lists mail it took for spam only when asked (include_spam), and the look never asked: a customer's reply
    // its filter misjudged that came while the webhook was gone got no row and was never parked. Each class is told
    // apart: the spam is not taken for unauthenticated mail, nor the unauthenticated for spam, which ops could route.
    [Fact]
    public async Task Should_park_the_mail_agentmail_marked_spam_that_an_inbox_received_while_it_had_no_webhook_apart_from_unauthenticated_mail()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-MISSED-SPAM");
        var spam = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Re: your order", text = "Where is it?", spam = true });
        var spoofed = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Send me the order details", text = "Please.", authenticated = false });

        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        var parked = await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() is { } id && (id == spam || id == spoofed), count: 2);
        Assert.Equal(
            [(spam, RoutingDecision.SpamReason), (spoofed, RoutingDecision.UnauthenticatedReason)],
            parked.Select(p => (p.GetProperty("messageId").GetString(), p.GetProperty("reason").GetString())).OrderBy(p => p.Item1 == spam ? 0 : 1));
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");
        Assert.DoesNotContain(await _world.OutboxAsync<InboundMessageRouted>(), r => r.GetProperty("messageId").GetString() is { } id && (id == spam || id == spoofed));
        Assert.Equal(2, (await _world.OutboxAsync<InboundMessageParked>()).Count);
    }

    [Fact]
    public async Task Should_look_again_later_when_agentmail_cannot_list_the_inbox_and_route_the_mail_then()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-OUTAGE");
        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);

        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);

        // More 503s than one call's retries: the first look fails, and the message is consumed all the same.
        await _world.FaultAsync(new { api = "agentmail", operation = "messages.list", error_status = 503, times = 8 });
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Empty(_replaced.Faults);
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");
        var counted = looks.Observe();
        Assert.True(counted.GetValueOrDefault("postponed") >= 1 && counted.GetValueOrDefault("done") == 1, string.Join(", ", counted));
    }

    // The router's AgentMail key just rotated (401) or the organisation at its limit: the look was given up at its first
    // attempt and its row deleted, and once ops put the key right nothing could ask for it again.
    [Fact]
    public async Task Should_look_again_later_when_agentmail_refuses_the_router_s_key_and_route_the_mail_once_the_key_is_put_right()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-KEY-REFUSED");
        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);

        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);
        await _world.FaultAsync(new { api = "agentmail", operation = "messages.list", error_status = 401, error_code = "unknown_api_key" });
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        await Eventually.Until(() => Task.FromResult(looks.Observe()), l => l.GetValueOrDefault("postponed") >= 2 || l.GetValueOrDefault("given_up") > 0, TimeSpan.FromSeconds(20), "the refused look to be postponed twice");
        Assert.Equal(0, looks.Observe().GetValueOrDefault("given_up"));
        Assert.Equal(1, await _world.CountAsync("missed_mail_lookups"));

        await _world.ClearFaultsAsync();
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");
        var counted = looks.Observe();
        Assert.True(counted.GetValueOrDefault("given_up") == 0 && counted.GetValueOrDefault("done") == 1, string.Join(", ", counted));
    }

    // A look given up (here AgentMail refused the listing itself; past its attempts after a long outage alike) lost its
    // row: the webhook is fine by then and the message that asked was consumed, so the mail was never routed.
    [Fact]
    public async Task Should_route_the_mail_of_a_look_given_up_once_ops_ask_for_it_again_and_only_once_however_often_asked()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-ASKED-AGAIN");
        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);

        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);
        await _world.FaultAsync(new { api = "agentmail", operation = "messages.list", error_status = 400, times = 1 });
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);
        await Eventually.Until(() => Task.FromResult(looks.Observe()), l => l.GetValueOrDefault("given_up") == 1, TimeSpan.FromSeconds(10), "the look to be given up");
        Assert.Equal(0, await _world.CountAsync("missed_mail_lookups"));
        Assert.DoesNotContain(await _world.OutboxAsync<InboundMessageRouted>(), r => r.GetProperty("messageId").GetString() == missed);

        var after = DateTimeOffset.UtcNow.AddHours(-1);
        using var asked = await _world.Client.PostAsync($"/routing/missed-mail/{Uri.EscapeDataString(inboxId)}?after={Uri.EscapeDataString(after.ToString("O"))}", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var look = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(inboxId, look["inbox_id"]!.GetValue<string>());
        Assert.Equal(after.ToUnixTimeMilliseconds(), look["listed_after"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");

        // Asked again with the default window: the look lists the message again and routes nothing twice.
        using var again = await _world.Client.PostAsync($"/routing/missed-mail/{Uri.EscapeDataString(inboxId)}", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await Eventually.Until(() => Task.FromResult(looks.Observe()), l => l.GetValueOrDefault("done") == 2, TimeSpan.FromSeconds(10), "the second look to be done");
        Assert.Single(await _world.OutboxAsync<InboundMessageRouted>(), r => r.GetProperty("messageId").GetString() == missed);
    }

    [Fact]
    public async Task When_ops_ask_again_for_an_inbox_the_router_does_not_know_or_with_an_after_that_is_no_past_time_Should_refuse_and_ask_for_no_look()
    {
        using var unknown = await _world.Client.PostAsync("/routing/missed-mail/nobody%40agentmail.to", null);
        Assert.Contains("no webhook of inbox nobody@agentmail.to", await ProblemAnswer.DetailAsync(unknown, HttpStatusCode.NotFound), StringComparison.Ordinal);

        var (inboxId, _, _) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-ASK-REFUSED", "user_missed");
        foreach (var after in new[] { "yesterday", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), DateTimeOffset.UtcNow.AddDays(-30).ToString("O") })
        {
            using var refused = await _world.Client.PostAsync($"/routing/missed-mail/{Uri.EscapeDataString(inboxId)}?after={Uri.EscapeDataString(after)}", null);
            Assert.Contains("in the past and within", await ProblemAnswer.DetailAsync(refused, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        using var stranger = _world.Router.CreateClient();
        using var unauthorized = await stranger.PostAsync($"/routing/missed-mail/{Uri.EscapeDataString(inboxId)}", null);
        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(unauthorized, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Equal(0, await _world.CountAsync("missed_mail_lookups"));
    }

    // Any other failure of a look (here AgentMail's listing answered with a page that is not its JSON) escaped the look,
    // so it waited out its five-minute claim, and so did the looks after it in the batch; and past MaxAttempts it was
    // claimed again for good, never given up.
    [Fact]
    public async Task Should_look_again_later_when_a_look_fails_for_another_reason_and_route_the_mail_then()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-GARBLED");
        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);

        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);
        await _world.FaultAsync(new { api = "agentmail", operation = "messages.list", malformed_answer = true, times = 1 });
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");
        var counted = looks.Observe();
        Assert.True(counted.GetValueOrDefault("postponed") == 1 && counted.GetValueOrDefault("done") == 1, string.Join(", ", counted));
    }

    // A look lists oldest first and stopped after MissedMailPages pages, counted done: the newest mail, the mail most
    // likely missed, was never routed, and nothing said so.
    [Fact]
    public async Task Should_go_on_from_where_a_look_cut_short_at_its_pages_stopped_and_route_the_newest_mail_too()
    {
        var (orderId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-MANY-MISSED");
        var more = new List<string>();
        foreach (var n in Enumerable.Range(0, 100))
        {
            more.Add(await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = $"Meanwhile {n}", text = "Still here." }));
        }

        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        using var looks = new ServiceInstruments(_world.Router.Services, MissedMailMetrics.Looks);
        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        // With the email routed before the webhook went, 102 messages: a page of 100, then the newest two.
        HashSet<string> all = [missed, .. more];
        var routed = await _world.WaitForAsync<InboundMessageRouted>(r => all.Contains(r.GetProperty("messageId").GetString()!), count: all.Count);
        Assert.Equal(all.Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.All(routed, r => Assert.Equal(orderId, r.GetProperty("orderId").GetGuid()));
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");
        var counted = looks.Observe();
        Assert.True(counted.GetValueOrDefault("resumed") == 1 && counted.GetValueOrDefault("done") == 1, string.Join(", ", counted));
    }

    [Fact]
    public async Task Should_follow_a_webhook_replaced_without_an_announcement_and_route_the_mail_missed_meanwhile()
    {
        var (orderId, inboxId, _, missed) = await MissedMailAsync("ORD-UNANNOUNCED");

        // A new webhook, made at AgentMail (by hand, or its announcement lost): nothing on the bus says so.
        await _world.AddWebhookAsync(inboxId);
        var after = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "After", text = "Signed with the new webhook's secret." });

        foreach (var messageId in new[] { after, missed })
        {
            var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
            Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        }

        Assert.Equal(3, (await _world.OutboxAsync<InboundMessageRouted>()).Count);
    }

    // The customer wrote about O1 while the webhook was gone, then placed O2, which re-stamped the inbox: the mail
    // recovered after was routed by the stamp to O2, an order that did not exist when it was written, and answered with
    // O2's facts. It goes to the customer's newest order placed by the time it was received.
    [Fact]
    public async Task Should_route_mail_recovered_after_the_customer_ordered_again_to_the_order_of_when_it_was_received()
    {
        await _world.PublishAsync(new OrderCreated(Guid.NewGuid(), "ORD-LATE-O0", "user_missed", "jane@acme.example", null, DateTimeOffset.UtcNow.AddDays(-9)));
        var (firstId, inboxId, webhookId, missed) = await MissedMailAsync("ORD-LATE-O1", placedAt: DateTimeOffset.UtcNow.AddDays(-3));

        var secondId = Guid.NewGuid();
        await _world.PublishAsync(new OrderCreated(secondId, "ORD-LATE-O2", "user_missed", "jane@acme.example", null, DateTimeOffset.UtcNow.AddHours(1)));
        await _world.StampAsync(inboxId, "ORD-LATE-O2");
        var (newWebhookId, _) = await _world.AddWebhookAsync(inboxId);
        await _world.PublishAsync(new InboxReady(secondId, "ORD-LATE-O2", "user_missed", inboxId, inboxId, newWebhookId, DateTimeOffset.UtcNow));
        await Eventually.Until(() => PlacedAsync(), n => n == 3, TimeSpan.FromSeconds(30), "the three orders' placing times to be learnt");

        var replacedId = Guid.NewGuid();
        await _world.PublishAsync(new InboxWebhookReplaced("user_missed", inboxId, newWebhookId, webhookId, DateTimeOffset.UtcNow), replacedId);
        await _replaced.WaitForAsync(replacedId, 1);

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == missed));
        Assert.Equal((firstId, "order-at-receipt"), (routed.GetProperty("orderId").GetGuid(), routed.GetProperty("routedBy").GetString()));
    }

    // A look the router asked for under another spelling of the inbox's address (before it kept to AgentMail's) lists
    // the inbox's mail, AgentMail answering for any spelling: recorded under that spelling, none of it was decided yet.
    [Fact]
    public async Task Should_record_nothing_for_a_look_asked_for_under_another_spelling_of_the_inbox()
    {
        var (_, inboxId, _, _) = await MissedMailAsync("ORD-SPELLING");
        var spelling = inboxId.ToUpperInvariant();
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into inbound.missed_mail_lookups (inbox_id) values (@InboxId)", new { InboxId = spelling });
        }

        _world.Router.Services.GetRequiredService<MissedMailSignal>().Notify();
        await Eventually.Until(() => _world.CountAsync("missed_mail_lookups"), n => n == 0, TimeSpan.FromSeconds(10), "the look's row to be deleted");

        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from inbound.received_events where inbox_id = @InboxId", new { InboxId = spelling }));
        }
    }

    // An order's inbox with one email routed as it came, then its webhook deleted at AgentMail and one more email sent,
    // which no event announces; the email's Message-ID. With placedAt, the order is learnt from OrderCreated too.
    private async Task<(Guid OrderId, string InboxId, string WebhookId, string Missed)> MissedMailAsync(string orderRef, DateTimeOffset? placedAt = null)
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionAsync(orderRef);
        if (placedAt is { } placed)
        {
            await _world.PublishAsync(new OrderCreated(orderId, orderRef, "user_missed", "jane@acme.example", null, placed));
        }

        await _world.ReadyAsync(orderId, orderRef, "user_missed", inboxId, webhookId);
        var before = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Before", text = "Routed as it came." });
        await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == before);

        await _world.DeleteWebhookAsync(webhookId);
        var missed = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Meanwhile", text = "Did anyone read this?" });
        Assert.DoesNotContain(await _world.AttemptsAsync("message.received"), a => JsonNode.Parse(a["body"]!.GetValue<string>())?["message"]?["message_id"]?.GetValue<string>() == missed);
        return (orderId, inboxId, webhookId, missed);
    }

    private async Task<long> PlacedAsync()
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from inbound.order_refs where placed_at is not null");
    }
}

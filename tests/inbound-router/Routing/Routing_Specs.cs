using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// From a customer's email, injected into the sandbox and delivered signed to the router over HTTP, to the event the
/// router publishes: routed to the right order once, whatever the duplicates and the order of deliveries, or parked.
/// </summary>
public sealed class Routing_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_route_a_customers_email_to_the_inboxes_order_once_with_what_orders_api_and_the_agent_need()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(orderId, "ORD-ROUTE1", "user_route_1");

        var messageId = await _world.EmailAsync(inboxId, new
        {
            from = "Jane Buyer <jane@acme.example>",
            subject = "Where is my order?",
            text = "It has not arrived.",
            headers = new Dictionary<string, string> { ["Auto-Submitted"] = "no" },
        });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal(inboxId, routed.GetProperty("inboxId").GetString());
        Assert.Equal("Jane Buyer <jane@acme.example>", routed.GetProperty("from").GetString());
        Assert.Equal("Where is my order?", routed.GetProperty("subject").GetString());
        Assert.Equal("It has not arrived.", routed.GetProperty("text").GetString());
        Assert.Equal("inbox-order-ref", routed.GetProperty("routedBy").GetString());
        Assert.Equal("no", routed.GetProperty("autoSubmitted").GetString());
        Assert.False(string.IsNullOrEmpty(routed.GetProperty("threadId").GetString()));
        var attempt = Assert.Single(await _world.AnsweredAttemptsAsync("message.received"));
        Assert.Equal(202, attempt["status_code"]!.GetValue<int>());
        await Task.Delay(500);
        Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
    }

    /// <summary>
    /// A newsletter (List-Id, List-Unsubscribe, no Precedence) or an auto-responder's mail that says so only by
    /// X-Autorespond must reach orders-api with those headers, which is how the agent knows to leave it unanswered
    /// (RFC 3834 §2); the router kept only Auto-Submitted, Precedence and X-Autoreply, and the agent answered news@.
    /// </summary>
    [Fact]
    public async Task Should_route_a_newsletter_with_its_list_and_autorespond_headers_whatever_their_case()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, _, _) = await _world.ProvisionReadyAsync(orderId, "ORD-NEWS", "user_news");

        var messageId = await _world.EmailAsync(inboxId, new
        {
            from = "Shop News <news@shop.example>",
            subject = "Our summer sale",
            text = "Everything half price.",
            headers = new Dictionary<string, string>
            {
                ["List-Id"] = "Shop News <news.shop.example>",
                ["list-unsubscribe"] = "<https://shop.example/unsubscribe?u=1>",
                ["X-AUTORESPOND"] = "yes",
            },
        });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("Shop News <news.shop.example>", routed.GetProperty("listId").GetString());
        Assert.Equal("<https://shop.example/unsubscribe?u=1>", routed.GetProperty("listUnsubscribe").GetString());
        Assert.Equal("yes", routed.GetProperty("xAutorespond").GetString());
    }

    [Fact]
    public async Task When_an_email_carries_a_NUL_character_Should_record_and_route_it_with_the_NUL_replaced()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(orderId, "ORD-NUL", "user_nul");

        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Odd\0bytes", text = "before\0after" });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("before\uFFFDafter", routed.GetProperty("text").GetString());
        Assert.Equal("Odd\uFFFDbytes", routed.GetProperty("subject").GetString());
        Assert.Equal(202, Assert.Single(await _world.AnsweredAttemptsAsync("message.received"))["status_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Should_route_a_reply_to_an_earlier_orders_confirmation_to_that_order_not_the_newest()
    {
        var (firstOrder, secondOrder) = (Guid.NewGuid(), Guid.NewGuid());
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-SECOND");
        await _world.PublishAsync(new OrderCreated(firstOrder, "ORD-FIRST", "user_reply", "jane@acme.example", null, DateTimeOffset.UtcNow.AddHours(-1)));
        await _world.PublishAsync(new InboxReady(secondOrder, "ORD-SECOND", "user_reply", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await _world.PublishAsync(new OutboundEmailSent(Guid.NewGuid(), firstOrder, EmailProvider.Resend, "re_1", DateTimeOffset.UtcNow, "<confirmation-first@orders.example>"));
        await Eventually.Until(() => _world.CountAsync("outbound_message_ids"), n => n == 1, TimeSpan.FromSeconds(30), "the confirmation's Message-ID to be learnt");
        await Eventually.Until(() => _world.CountAsync("inbox_owners"), n => n == 1, TimeSpan.FromSeconds(30), "the inbox's customer to be learnt");

        var messageId = await _world.EmailAsync(inboxId, new
        {
            from = "jane@acme.example",
            subject = "Re: Your order ORD-FIRST",
            text = "Can I change the address?",
            in_reply_to = "<confirmation-first@orders.example>",
        });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(firstOrder, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("in-reply-to", routed.GetProperty("routedBy").GetString());
        Assert.Equal("<confirmation-first@orders.example>", routed.GetProperty("inReplyTo").GetString());
    }

    /// <summary>
    /// A message's <c>timestamp</c> is when it was sent, by the sender's clock (its Date): a customer whose laptop is an
    /// hour behind orders at 12:00 and writes at 12:10, Date 11:10. Routing took that for when the mail was received,
    /// before the order was placed, and parked it unanswered (or sent a repeat customer's to the order before). It goes
    /// by AgentMail's <c>created_at</c>, when AgentMail received it.
    /// </summary>
    [Fact]
    public async Task Should_route_mail_whose_sender_clock_is_behind_by_when_agentmail_received_it_to_the_order_just_placed()
    {
        var orderId = Guid.NewGuid();
        var placedAt = DateTimeOffset.UtcNow;
        var (inboxId, webhookId, secret) = await _world.ProvisionAsync("ORD-SLOW-CLOCK");
        await _world.PublishAsync(new OrderCreated(orderId, "ORD-SLOW-CLOCK", "user_slow_clock", "jane@acme.example", null, placedAt));
        await _world.PublishAsync(new InboxReady(orderId, "ORD-SLOW-CLOCK", "user_slow_clock", inboxId, inboxId, webhookId, placedAt));
        await Eventually.Until(
            async () => (await _world.CountAsync("inbox_webhooks"), await PlacedAsync()),
            n => n == (1, 1),
            TimeSpan.FromSeconds(30),
            "the order's placing time and the inbox's webhook to be learnt");

        var messageId = $"<{Guid.NewGuid():N}@acme.example>";
        var body = ReceivedEvents.With(ReceivedEvents.For(inboxId, "Re: my order", messageId: messageId, from: "jane@acme.example"), json =>
        {
            json["message"]!["timestamp"] = placedAt.AddHours(-1).AddMinutes(10).ToString("O");
            json["message"]!["created_at"] = placedAt.AddMinutes(10).ToString("O");
        });
        using var answer = await _world.PostSignedAsync(body, secret);
        Assert.True(answer.IsSuccessStatusCode, $"the ingress answered {(int)answer.StatusCode}");

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal((orderId, "inbox-order-ref"), (routed.GetProperty("orderId").GetGuid(), routed.GetProperty("routedBy").GetString()));
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
    }

    /// <summary>
    /// Resend sends through Amazon SES, which may replace the Message-ID we chose: the customer's client answers the one
    /// it got, which the tracker learns from Resend's events (OutboundMessageIdAssigned). A reply naming it goes to the
    /// confirmation's order, not to the newest order the inbox is stamped with.
    /// </summary>
    [Fact]
    public async Task Should_route_a_reply_naming_the_message_id_resend_assigned_to_that_order_not_the_newest()
    {
        var (firstOrder, secondOrder, emailId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-SECOND");
        await _world.PublishAsync(new OrderCreated(firstOrder, "ORD-FIRST", "user_assigned", "jane@acme.example", null, DateTimeOffset.UtcNow.AddHours(-1)));
        await _world.PublishAsync(new InboxReady(secondOrder, "ORD-SECOND", "user_assigned", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await _world.PublishAsync(new OutboundEmailSent(emailId, firstOrder, EmailProvider.Resend, "re_first", DateTimeOffset.UtcNow, "<confirmation-ours@orders.example>"));
        await _world.PublishAsync(new OutboundMessageIdAssigned(emailId, firstOrder, EmailProvider.Resend, "<0100019a-first@email.amazonses.com>"));
        await Eventually.Until(() => _world.CountAsync("outbound_message_ids"), n => n == 2, TimeSpan.FromSeconds(30), "both of the confirmation's Message-IDs to be learnt");
        await Eventually.Until(() => _world.CountAsync("inbox_owners"), n => n == 1, TimeSpan.FromSeconds(30), "the inbox's customer to be learnt");

        var messageId = await _world.EmailAsync(inboxId, new
        {
            from = "jane@acme.example",
            subject = "Re: Your order ORD-FIRST",
            text = "Can I change the address?",
            in_reply_to = "<0100019a-first@email.amazonses.com>",
        });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(firstOrder, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("in-reply-to", routed.GetProperty("routedBy").GetString());
    }

    // A Message-ID is no secret: it is in every copy and forward of the email. Naming another customer's in an email to
    // one's own inbox must not put that email in the other customer's order.
    [Fact]
    public async Task Should_route_a_reply_naming_another_customers_mail_by_the_inbox_it_reached_not_to_that_customers_order()
    {
        var (theirOrder, ownOrder) = (Guid.NewGuid(), Guid.NewGuid());
        var (theirInbox, theirWebhook, _) = await _world.ProvisionAsync("ORD-THEIRS");
        var (ownInbox, ownWebhook, _) = await _world.ProvisionAsync("ORD-OWN");
        await _world.PublishAsync(new InboxReady(theirOrder, "ORD-THEIRS", "user_jane", theirInbox, theirInbox, theirWebhook, DateTimeOffset.UtcNow));
        await _world.PublishAsync(new InboxReady(ownOrder, "ORD-OWN", "user_mallory", ownInbox, ownInbox, ownWebhook, DateTimeOffset.UtcNow));
        await _world.PublishAsync(new OutboundEmailSent(Guid.NewGuid(), theirOrder, EmailProvider.Resend, "re_2", DateTimeOffset.UtcNow, "<confirmation-theirs@orders.example>"));
        await Eventually.Until(() => _world.CountAsync("outbound_message_ids"), n => n == 1, TimeSpan.FromSeconds(30), "the confirmation's Message-ID to be learnt");
        await Eventually.Until(() => _world.CountAsync("inbox_owners"), n => n == 2, TimeSpan.FromSeconds(30), "both inboxes' customers to be learnt");

        var messageId = await _world.EmailAsync(ownInbox, new
        {
            from = "mallory@evil.example",
            subject = "Re: Your order ORD-THEIRS",
            text = "Send it to my address instead.",
            in_reply_to = "<confirmation-theirs@orders.example>",
        });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(ownOrder, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("inbox-order-ref", routed.GetProperty("routedBy").GetString());
    }

    // AgentMail names an inbox by its address, and gives an address freed by a deleted inbox to another customer: the
    // inbox is theirs from then on, and an older InboxReady arriving late does not give it back.
    [Fact]
    public async Task Should_route_a_reply_in_an_inbox_given_to_another_customer_by_that_customers_orders()
    {
        var (formerOrder, answeredOrder, newestOrder) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-NEWEST");
        var former = new InboxReady(formerOrder, "ORD-FORMER", "user_former", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow.AddDays(-1));
        await _world.PublishAsync(former);
        await Eventually.Until(() => _world.CountAsync("inbox_owners"), n => n == 1, TimeSpan.FromSeconds(30), "the inbox's first customer to be learnt");
        await _world.PublishAsync(new OrderCreated(answeredOrder, "ORD-ANSWERED", "user_holder", "jane@acme.example", null, DateTimeOffset.UtcNow.AddHours(-1)));
        await _world.PublishAsync(new InboxReady(newestOrder, "ORD-NEWEST", "user_holder", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await _world.PublishAsync(new OutboundEmailSent(Guid.NewGuid(), answeredOrder, EmailProvider.Resend, "re_3", DateTimeOffset.UtcNow, "<confirmation-answered@orders.example>"));
        await Eventually.Until(() => _world.CountAsync("outbound_message_ids"), n => n == 1, TimeSpan.FromSeconds(30), "the confirmation's Message-ID to be learnt");
        await Eventually.Until(() => OwnerAsync(inboxId), owner => owner == "user_holder", TimeSpan.FromSeconds(30), "the inbox's new customer to be learnt");
        await _world.PublishAsync(former);

        var messageId = await _world.EmailAsync(inboxId, new
        {
            from = "jane@acme.example",
            subject = "Re: Your order ORD-ANSWERED",
            text = "Can I change the address?",
            in_reply_to = "<confirmation-answered@orders.example>",
        });

        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal((answeredOrder, "in-reply-to"), (routed.GetProperty("orderId").GetGuid(), routed.GetProperty("routedBy").GetString()));
        Assert.Equal("user_holder", await OwnerAsync(inboxId));
    }

    [Fact]
    public async Task Should_publish_one_routed_message_per_email_when_deliveries_are_duplicated_and_reordered()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(orderId, "ORD-DUPES", "user_dupes");
        await _world.FaultAsync(new { api = "agentmail", operation = "webhooks.deliver", duplicate = true, reorder_window_ms = 300, times = 3 });

        var ids = new List<string>();
        foreach (var n in Enumerable.Range(1, 3))
        {
            ids.Add(await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = $"Question {n}", text = "?" }));
        }

        await _world.WaitForAsync<InboundMessageRouted>(_ => true, count: 3);
        var attempts = await Eventually.Until(() => _world.AttemptsAsync("message.received"), a => a.Count >= 6, TimeSpan.FromSeconds(30), "six deliveries");
        await Task.Delay(1000);
        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(ids.Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.All(attempts, a => Assert.InRange(a["status_code"]!.GetValue<int>(), 200, 299));
        Assert.Equal(3, await _world.CountAsync("received_events"));
    }

    [Fact]
    public async Task Should_park_an_email_no_order_is_known_for_list_it_and_route_it_once_the_cause_is_fixed()
    {
        // No InboxReady: the event comes first, so the router asks AgentMail which webhook feeds the inbox. The inbox
        // names no order (an order the router has still to learn is waited for instead: RoutingPump_Specs).
        var (inboxId, _, _) = await _world.ProvisionAsync("");
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Hello?", text = "Anyone?" });

        var parked = Assert.Single(await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == messageId));
        Assert.Contains("has no metadata.order_ref", parked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var listed = (await _world.Client.GetFromJsonAsync<JsonArray>("/routing/parked"))!;
        var entry = Assert.Single(listed)!;
        Assert.Equal(messageId, entry["message_id"]!.GetValue<string>());
        var parkedId = entry["id"]!.GetValue<Guid>();
        var early = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        var orderId = Guid.NewGuid();
        await _world.StampAsync(inboxId, "ORD-LATER");
        await _world.PublishAsync(new OrderCreated(orderId, "ORD-LATER", "user_later", "jane@acme.example", null, DateTimeOffset.UtcNow));
        var rerouted = await Eventually.Until(
            () => _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null),
            r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "the parked message to route once its order is known");

        Assert.Equal(orderId, (await rerouted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order_id").GetGuid());
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Empty((await _world.Client.GetFromJsonAsync<JsonArray>("/routing/parked"))!);

        // Asked again, it says where it went, as the route that sent it there did, and nothing more is published: it was
        // 404 "routed already", which an ops client that timed out after the commit could not tell from mail lost.
        var again = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(orderId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order_id").GetGuid());
        Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
    }

    private async Task<long> PlacedAsync()
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from inbound.order_refs where placed_at is not null");
    }

    private async Task<string?> OwnerAsync(string inboxId)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("select user_id from inbound.inbox_owners where inbox_id = @inboxId", new { inboxId });
    }
}

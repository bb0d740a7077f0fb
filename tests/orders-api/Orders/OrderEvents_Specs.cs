using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>Other services' events about an order, published on the real broker, as the order's owner then sees them.</summary>
public sealed class OrderEvents_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task When_the_inbox_is_ready_Should_show_the_reply_address_on_the_order()
    {
        var (client, id, orderRef) = await PlacedOrderAsync("user_events_ready");
        using (client)
        {
            await PublishAsync(InboxReadyConsumer.Name, Ready(id, orderRef, "user_events_ready", "jane-1@inbox.test"));

            var order = await OrderRequests.GetAsync(client, id);
            Assert.Equal("jane-1@inbox.test", order["reply_address"].Text());
            Assert.Equal("""{"state":"ready"}""", order["provisioning"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task When_the_same_message_is_delivered_again_Should_change_nothing_the_second_time()
    {
        var (client, id, orderRef) = await PlacedOrderAsync("user_events_redelivery");
        using (client)
        {
            var messageId = NewId.NextGuid();
            await PublishAsync(InboxReadyConsumer.Name, Ready(id, orderRef, "user_events_redelivery", "first@inbox.test"), messageId);

            // The same message id again, as a broker redelivery or an outbox republish would bring it; its content
            // differs here only so that applying it twice would show.
            await PublishAsync(InboxReadyConsumer.Name, Ready(id, orderRef, "user_events_redelivery", "second@inbox.test"), messageId);

            Assert.Equal("first@inbox.test", (await OrderRequests.GetAsync(client, id))["reply_address"].Text());
            await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
                "select count(*) from orders.processed_messages where consumer = @consumer and message_id = @messageId",
                new { consumer = InboxReadyConsumer.Name, messageId }));
        }
    }

    [Fact]
    public async Task When_provisioning_fails_Should_show_failed_with_its_kind_in_words_unless_the_inbox_is_ready()
    {
        var (client, failedId, failedRef) = await PlacedOrderAsync("user_events_failed");
        using (client)
        {
            var (_, readyId, readyRef) = await PlacedOrderAsync("user_events_failed", client);

            await PublishAsync(InboxProvisioningFailedConsumer.Name, new InboxProvisioningFailed(failedId, failedRef, "user_events_failed", "AgentMail kept answering 503", Now, ProvisioningFailureKinds.TimedOut));
            await PublishAsync(InboxReadyConsumer.Name, Ready(readyId, readyRef, "user_events_failed", "late@inbox.test"));
            await PublishAsync(InboxProvisioningFailedConsumer.Name, new InboxProvisioningFailed(readyId, readyRef, "user_events_failed", "a stale failure", Now));

            var failed = (await OrderRequests.GetAsync(client, failedId))["provisioning"]!;
            Assert.Equal("failed", failed["state"].Text());
            Assert.Equal(ProvisioningFailureText.Of(ProvisioningFailureKinds.TimedOut), failed["detail"].Text());
            var ready = await OrderRequests.GetAsync(client, readyId);
            Assert.Equal("""{"state":"ready"}""", ready["provisioning"]!.ToJsonString());
            Assert.Equal("late@inbox.test", ready["reply_address"].Text());
        }
    }

    // The provisioner's reason after a webhook AgentMail kept scoping to another customer's inbox (the sandbox's
    // stored_differs: other_inbox), as WebhookInspection words it: that customer's address, the webhook's id and URL.
    [Theory]
    [InlineData(ProvisioningFailureKinds.WebhookMisscoped)]
    [InlineData(null)]
    public async Task When_provisioning_fails_Should_tell_the_customer_a_sentence_of_its_kind_and_nothing_of_the_reason(string? kind)
    {
        const string OtherInbox = "someone.else@agentmail.to";
        const string WebhookUrl = "https://router.internal.example/webhooks/agentmail";
        const string WebhookId = "wh_leaked_123";
        var userId = $"user_events_neutral_{kind ?? "none"}";
        var reason = $"The webhook still differed from what was asked for after 3 read-back(s): webhook {WebhookId} is scoped to inboxes [{OtherInbox}], "
            + $"not only [jane@agentmail.to]; webhook {WebhookId} posts to {WebhookUrl}, not https://orders.example/webhooks. What was wrong is deleted.";
        var (client, id, orderRef) = await PlacedOrderAsync(userId);
        using (client)
        {
            await PublishAsync(InboxProvisioningFailedConsumer.Name, new InboxProvisioningFailed(id, orderRef, userId, reason, Now, kind));

            var order = (await OrderRequests.GetAsync(client, id)).ToJsonString();
            var list = await client.GetStringAsync("/api/orders");
            var timeline = await client.GetStringAsync($"/api/orders/{id}/timeline");
            foreach (var answer in new[] { order, list, timeline })
            {
                Assert.DoesNotContain(OtherInbox, answer, StringComparison.Ordinal);
                Assert.DoesNotContain(WebhookUrl, answer, StringComparison.Ordinal);
                Assert.DoesNotContain(WebhookId, answer, StringComparison.Ordinal);
                Assert.DoesNotContain("read-back", answer, StringComparison.Ordinal);
            }

            var sentence = ProvisioningFailureText.Of(kind);
            Assert.Equal(sentence, JsonNode.Parse(order)!["provisioning"]!["detail"].Text());
            Assert.Contains(JsonNode.Parse(list)!["orders"]!.AsArray(), o => o!["id"]!.GetValue<Guid>() == id && o["provisioning"]!["detail"].Text() == sentence);
            Assert.Contains(JsonNode.Parse(timeline)!["timeline"]!.AsArray(), e => e!["detail"]?.GetValue<string>() == sentence);
        }
    }

    [Fact]
    public async Task When_a_late_Sent_follows_Delivered_Should_keep_Delivered_and_every_detail()
    {
        var (client, id, _) = await PlacedOrderAsync("user_events_emails");
        using (client)
        {
            var emailId = Guid.NewGuid();

            await PublishAsync(DeliveryStateChangedConsumer.Name, new DeliveryStateChanged(emailId, id, EmailProvider.Resend, DeliveryState.Delivered, DeliveryState.Sent, null, Now.AddSeconds(3)));
            await PublishAsync(OutboundEmailSentConsumer.Name, new OutboundEmailSent(emailId, id, EmailProvider.Resend, "re_123", Now.AddSeconds(2)));
            await PublishAsync(OutboundEmailQueuedConsumer.Name, new OutboundEmailQueued(
                emailId, id, "order-confirmation", EmailProvider.Resend, ["jane@example.com"], "Your order", "20251121-confirmation.json", Now.AddSeconds(1)));

            var email = (await OrderRequests.GetAsync(client, id))["emails"]!.AsArray().Single()!.AsObject();
            Assert.Equal(emailId, email["email_id"]!.GetValue<Guid>());
            Assert.Equal("delivered", email["state"].Text());
            Assert.Equal("order-confirmation", email["kind"].Text());
            Assert.Equal("Your order", email["subject"].Text());
            Assert.Equal(["jane@example.com"], email["recipients"]!.AsArray().Select(r => r.Text()));
            Assert.Equal("resend", email["provider"].Text());
            Assert.Equal(Now.AddSeconds(1), email["queued_at"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
            Assert.Equal(Now.AddSeconds(3), email["updated_at"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task When_an_email_event_is_delivered_again_Should_converge_with_no_record_of_it()
    {
        var (client, id, _) = await PlacedOrderAsync("user_events_email_again");
        using (client)
        {
            var emailId = Guid.NewGuid();
            var (sentId, deliveredId) = (NewId.NextGuid(), NewId.NextGuid());
            var sent = new OutboundEmailSent(emailId, id, EmailProvider.Resend, "re_again", Now, "<again@orders.example>");
            var delivered = new DeliveryStateChanged(emailId, id, EmailProvider.Resend, DeliveryState.Delivered, DeliveryState.Sent, null, Now.AddSeconds(1));

            // Each consume waits for the one before and must not fail: a copy of Sent after Delivered, as a redelivery
            // of an unacknowledged message would bring it, changes nothing.
            await PublishAsync(OutboundEmailSentConsumer.Name, sent, sentId);
            await PublishAsync(DeliveryStateChangedConsumer.Name, delivered, deliveredId);
            await PublishAsync(DeliveryStateChangedConsumer.Name, delivered, deliveredId);
            await PublishAsync(OutboundEmailSentConsumer.Name, sent, sentId);

            var email = (await OrderRequests.GetAsync(client, id))["emails"]!.AsArray().Single()!.AsObject();
            Assert.Equal(("delivered", "resend"), (email["state"].Text(), email["provider"].Text()));
            Assert.Equal(Now.AddSeconds(1), email["updated_at"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
            await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
                "select count(*) from orders.processed_messages where message_id = any(@ids)", new { ids = new[] { sentId, deliveredId } }));
        }
    }

    [Fact]
    public async Task When_an_email_event_names_a_provider_it_does_not_know_Should_refuse_it_rather_than_store_a_made_up_name()
    {
        var (client, id, _) = await PlacedOrderAsync("user_events_unknown_provider");
        using (client)
        {
            // A provider value no build of this contract has: the tracker refuses to store one, and so does orders-api,
            // which once stored it snake_cased ("3") as a provider nothing reads back.
            var emailId = Guid.NewGuid();
            var update = new OrderEmailUpdate(emailId, id, DeliveryState.Sent, Now) { Provider = (EmailProvider)3 };
            await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
            await connection.ExecuteAsync("set search_path to orders");

            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => OrderEmails.ApplyAsync(connection, update, CancellationToken.None));

            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from orders.order_emails where email_id = @emailId", new { emailId }));
        }
    }

    [Fact]
    public async Task When_an_email_bounces_or_fails_Should_show_the_reason_with_the_state()
    {
        var (client, id, _) = await PlacedOrderAsync("user_events_bounce");
        using (client)
        {
            var (bounced, failed) = (Guid.NewGuid(), Guid.NewGuid());

            await PublishAsync(OutboundEmailSentConsumer.Name, new OutboundEmailSent(bounced, id, EmailProvider.AgentMail, "am_1", Now));
            await PublishAsync(DeliveryStateChangedConsumer.Name, new DeliveryStateChanged(bounced, id, EmailProvider.AgentMail, DeliveryState.Bounced, DeliveryState.Sent, "mailbox full", Now.AddSeconds(1)));
            await PublishAsync(OutboundEmailFailedConsumer.Name, new OutboundEmailFailed(failed, id, "x.json", "to must be an array", Now));

            var emails = (await OrderRequests.GetAsync(client, id))["emails"]!.AsArray()
                .ToDictionary(e => e!["email_id"]!.GetValue<Guid>(), e => (State: e!["state"].Text(), Detail: e["detail"]?.GetValue<string>(), Provider: e["provider"]?.GetValue<string>()));
            Assert.Equal(("bounced", "mailbox full", "agentmail"), emails[bounced]);
            Assert.Equal(("failed", "to must be an array", null), emails[failed]);
        }
    }

    [Fact]
    public async Task When_a_failed_email_is_sent_again_Should_show_both_and_which_copies_which()
    {
        var (client, id, _) = await PlacedOrderAsync("user_events_again");
        using (client)
        {
            var (failed, copy) = (Guid.NewGuid(), Guid.NewGuid());

            await PublishAsync(OutboundEmailFailedConsumer.Name, new OutboundEmailFailed(failed, id, "a.json", "Resend answered 403", Now));
            await PublishAsync(OutboundEmailQueuedConsumer.Name, new OutboundEmailQueued(
                copy, id, "order_confirmation", EmailProvider.Resend, ["jane@example.com"], "Your order", "b.json", Now.AddMinutes(5), SentAgainOf: failed));
            await PublishAsync(OutboundEmailSentConsumer.Name, new OutboundEmailSent(copy, id, EmailProvider.Resend, "re_again", Now.AddMinutes(5)));

            var emails = (await OrderRequests.GetAsync(client, id))["emails"]!.AsArray()
                .ToDictionary(e => e!["email_id"]!.GetValue<Guid>(), e => (State: e!["state"].Text(), SentAgainOf: e["sent_again_of"]?.GetValue<Guid>()));
            Assert.Equal(("failed", (Guid?)null), emails[failed]);
            Assert.Equal(("sent", (Guid?)failed), emails[copy]);
            var titles = (await client.GetFromJsonAsync<JsonObject>($"/api/orders/{id}/timeline"))!["timeline"]!.AsArray()
                .Select(e => e!["title"]!.GetValue<string>()).ToList();
            Assert.Contains("Email sent: order confirmation, sent again via resend", titles);
        }
    }

    [Fact]
    public async Task When_an_event_is_about_an_order_that_is_not_ours_Should_ignore_it()
    {
        var unknown = Guid.NewGuid();
        var emailId = Guid.NewGuid();

        await PublishAsync(InboxReadyConsumer.Name, Ready(unknown, "ORD-ZZZZZZ", "user_events_nobody", "nobody@inbox.test"));
        await PublishAsync(OutboundEmailSentConsumer.Name, new OutboundEmailSent(emailId, unknown, EmailProvider.Resend, "re_1", Now));
        await PublishAsync(DeliveryStateChangedConsumer.Name, new DeliveryStateChanged(emailId, null, EmailProvider.Resend, DeliveryState.Delivered, DeliveryState.Sent, null, Now));

        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from orders.order_emails where email_id = @emailId", new { emailId }));
    }

    [Fact]
    public async Task Should_count_the_conversations_messages_and_the_unread_ones_but_not_archived_ones()
    {
        var (client, id, _) = await PlacedOrderAsync("user_events_messages");
        using (client)
        {
            await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
            await connection.ExecuteAsync(
                """
                insert into orders.order_messages (order_id, message_id, direction, from_address, subject, preview, body, sender_verified, is_read, archived, received_at)
                select @id, '<' || n || '@mail.test>', 'inbound', 'jane@example.com', 's', 'p', 'b', true, n = 1, n = 2, now()
                from generate_series(1, 4) as n
                """,
                new { id });

            var order = await OrderRequests.GetAsync(client, id);

            Assert.Equal(4, order["message_count"]!.GetValue<int>());
            Assert.Equal(2, order["unread_count"]!.GetValue<int>());
        }
    }

    private static InboxReady Ready(Guid orderId, string orderRef, string userId, string address) =>
        new(orderId, orderRef, userId, address, address, $"wh_{orderId:N}", Now);

    private async Task<(HttpClient Client, Guid Id, string OrderRef)> PlacedOrderAsync(string userId, HttpClient? signedIn = null)
    {
        var client = signedIn ?? await fixture.SignedInAsync(userId);
        var id = await OrderRequests.PlacedAsync(client);
        var order = await OrderRequests.GetAsync(client, id);
        return (client, id, order["order_ref"].Text());
    }

    /// <summary>Publishes on the broker and waits until the queue's consumer has handled it.</summary>
    private async Task PublishAsync<T>(string queue, T message, Guid? messageId = null)
        where T : class
    {
        var bus = fixture.Api.Services.GetRequiredService<IBus>();
        using var client = fixture.Api.CreateClient();
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, ReadyTimeout, "orders-api to be ready");

        var consumed = new ConsumedMessages(queue);
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
}

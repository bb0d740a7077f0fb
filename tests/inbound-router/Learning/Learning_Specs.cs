using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Learning;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.InboundRouter.Tests.Learning;

/// <summary>
/// What the router learns from the bus is facts, written by idempotent upserts with no record of consumed messages:
/// the same message delivered again, a copy, or messages in another order than they were sent leave what one delivery
/// of each in order leaves, and no consume fails on them.
/// </summary>
public sealed class Learning_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();
    private readonly ConsumedMessages _orders = new(OrderCreatedConsumer.Name);
    private readonly ConsumedMessages _ready = new(InboxReadyConsumer.Name);
    private readonly ConsumedMessages _replaced = new(InboxWebhookReplacedConsumer.Name);
    private readonly ConsumedMessages _messageIds = new(OutboundMessageIdsConsumer.Name);

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        var bus = _world.Router.Services.GetRequiredService<IBus>();
        bus.ConnectConsumeObserver(_orders);
        bus.ConnectConsumeObserver(_ready);
        bus.ConnectConsumeObserver(_replaced);
        bus.ConnectConsumeObserver(_messageIds);
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_learn_an_order_once_from_its_OrderCreated_twice_and_its_InboxReady_before_and_after_it()
    {
        var orderId = Guid.NewGuid();
        var ready = new InboxReady(orderId, "ORD-TWICE", "user_twice", "twice@agentmail.to", "twice@agentmail.to", "wh_twice", DateTimeOffset.UtcNow);
        var created = new OrderCreated(orderId, "ORD-TWICE", "user_twice", "jane@acme.example", "Jane", DateTimeOffset.UtcNow);
        var (readyId, createdId) = (Guid.NewGuid(), Guid.NewGuid());

        await _world.PublishAsync(ready, readyId);
        await _ready.WaitForAsync(readyId, 1);
        await _world.PublishAsync(created, createdId);
        await _world.PublishAsync(created, createdId);
        await _orders.WaitForAsync(createdId, 2);
        await _world.PublishAsync(ready, readyId);
        await _ready.WaitForAsync(readyId, 2);

        Assert.Empty(_orders.Faults.Concat(_ready.Faults));
        var refs = (await QueryAsync<(string OrderRef, Guid OrderId, string UserId)>("select order_ref, order_id, user_id from inbound.order_refs")).ToList();
        Assert.Equal([("ORD-TWICE", orderId, "user_twice")], refs);
        Assert.Equal(["wh_twice"], await QueryAsync<string>("select webhook_id from inbound.inbox_webhooks where inbox_id = 'twice@agentmail.to'"));
        Assert.Null(await ScalarAsync<string?>("select to_regclass('inbound.processed_messages')::text"));
    }

    [Fact]
    public async Task Should_keep_the_newer_webhook_when_an_older_InboxReady_is_delivered_again_after_it()
    {
        const string inbox = "newer@agentmail.to";
        var older = new InboxReady(Guid.NewGuid(), "ORD-OLDER", "user_newer", inbox, inbox, "wh_older", DateTimeOffset.UtcNow.AddMinutes(-5));
        var newer = new InboxReady(Guid.NewGuid(), "ORD-NEWER", "user_newer", inbox, inbox, "wh_newer", DateTimeOffset.UtcNow);
        var (olderId, newerId) = (Guid.NewGuid(), Guid.NewGuid());

        await _world.PublishAsync(older, olderId);
        await _ready.WaitForAsync(olderId, 1);
        await _world.PublishAsync(newer, newerId);
        await _ready.WaitForAsync(newerId, 1);
        await _world.PublishAsync(older, olderId);
        await _ready.WaitForAsync(olderId, 2);

        Assert.Empty(_ready.Faults);
        Assert.Equal(["wh_newer"], await QueryAsync<string>($"select webhook_id from inbound.inbox_webhooks where inbox_id = '{inbox}'"));
        Assert.Equal(2, await _world.CountAsync("order_refs"));
    }

    [Fact]
    public async Task Should_retire_a_replaced_webhook_once_and_keep_its_successor_whatever_the_copies()
    {
        const string inbox = "replaced@agentmail.to";
        var ready = new InboxReady(Guid.NewGuid(), "ORD-REPLACED", "user_replaced", inbox, inbox, "wh_first", DateTimeOffset.UtcNow.AddMinutes(-1));
        var replaced = new InboxWebhookReplaced("user_replaced", inbox, "wh_second", "wh_first", DateTimeOffset.UtcNow);
        var (readyId, replacedId) = (Guid.NewGuid(), Guid.NewGuid());

        await _world.PublishAsync(ready, readyId);
        await _ready.WaitForAsync(readyId, 1);
        await _world.PublishAsync(replaced, replacedId);
        await _world.PublishAsync(replaced, replacedId);
        await _replaced.WaitForAsync(replacedId, 2);
        await _world.PublishAsync(ready, readyId);
        await _ready.WaitForAsync(readyId, 2);

        Assert.Empty(_ready.Faults.Concat(_replaced.Faults));
        Assert.Equal(["wh_first"], await QueryAsync<string>("select webhook_id from inbound.retired_webhooks"));
        Assert.Equal(["wh_second"], await QueryAsync<string>($"select webhook_id from inbound.inbox_webhooks where inbox_id = '{inbox}'"));
    }

    /// <summary>
    /// Resend's Message-ID for a confirmation (Amazon SES replaced ours), learnt twice, before and after the one we chose:
    /// both name the order, once each, so a reply to either finds it.
    /// </summary>
    [Fact]
    public async Task Should_learn_the_message_id_a_provider_assigned_beside_ours_once_whatever_the_copies()
    {
        var (emailId, orderId) = (Guid.NewGuid(), Guid.NewGuid());
        var assigned = new OutboundMessageIdAssigned(emailId, orderId, EmailProvider.Resend, "<0100019a-assigned@email.amazonses.com>");
        var sent = new OutboundEmailSent(emailId, orderId, EmailProvider.Resend, "re_assigned", DateTimeOffset.UtcNow, $"<{emailId:N}@ordersmail.local>");
        var (assignedId, sentId) = (Guid.NewGuid(), Guid.NewGuid());

        await _world.PublishAsync(assigned, assignedId);
        await _messageIds.WaitForAsync(assignedId, 1);
        await _world.PublishAsync(sent, sentId);
        await _messageIds.WaitForAsync(sentId, 1);
        await _world.PublishAsync(assigned, assignedId);
        await _messageIds.WaitForAsync(assignedId, 2);

        Assert.Empty(_messageIds.Faults);
        var learnt = await QueryAsync<(string MessageId, Guid OrderId)>("select internet_message_id, order_id from inbound.outbound_message_ids order by internet_message_id");
        Assert.Equal([("<0100019a-assigned@email.amazonses.com>", orderId), ($"<{emailId:N}@ordersmail.local>", orderId)], learnt);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<T>(sql)];
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }
}

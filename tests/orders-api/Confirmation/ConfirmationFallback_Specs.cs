using System.Diagnostics;
using Dapper;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Confirmation;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>Orders whose inbox does not come within a one-second wait.</summary>
public sealed class ConfirmationFallback_Specs(ImpatientConfirmationFixture fixture) : IClassFixture<ImpatientConfirmationFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // The one-second wait for the inbox, the sweeper's five-second overlap, and a margin.
    private static readonly TimeSpan HeldPastTheOverlap = TimeSpan.FromSeconds(8);

    // On busy cores the one-second wait can run out between an order's POST and the spec's lock on it (the sweeper
    // confirms it first); another order is placed then.
    private const int HoldAttempts = 5;

    [Fact]
    public async Task When_no_inbox_comes_in_time_Should_confirm_with_the_default_address_and_a_later_InboxReady_writes_nothing()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_fallback_late");

        var email = Assert.Single(await fixture.WaitForFileAsync(orderId, Patience));
        await fixture.PublishAsync(new InboxReady(orderId, orderRef, "user_fallback_late", "late@agentmail.to", "late@agentmail.to", "wh_late", DateTimeOffset.UtcNow));

        Assert.Equal(ConfirmationFixture.DefaultReplyTo, email.ReplyTo);
        Assert.Equal(ConfirmationEmailIds.For(orderId), email.EmailId);
        Assert.Single(fixture.FilesOf(orderId));
    }

    /// <summary>A confirmation the sweeper writes, outside any trace, continues the order's: its sending joins the order's trace.</summary>
    [Fact]
    public async Task When_no_inbox_comes_in_time_Should_write_the_confirmation_in_the_orders_trace()
    {
        var orderTrace = ActivityTraceId.CreateRandom();
        var (orderId, _) = await fixture.PlaceOrderAsync("user_fallback_traced", $"00-{orderTrace}-{ActivitySpanId.CreateRandom()}-01");

        var email = Assert.Single(await fixture.WaitForFileAsync(orderId, Patience));

        Assert.Equal(ConfirmationFixture.DefaultReplyTo, email.ReplyTo);
        Assert.Equal(orderTrace, TraceParents.Parse(email.TraceParent).TraceId);
    }

    /// <summary>
    /// Each sweep looks only at orders that became overdue since the last one (less a few seconds); an order held by
    /// another transaction while those looks passed it is confirmed by the next look back over the whole window.
    /// </summary>
    [Fact]
    public async Task When_an_order_was_held_while_the_sweeps_passed_it_Should_confirm_it_at_the_next_full_look()
    {
        Guid? held = null;
        for (var attempt = 0; held is null && attempt < HoldAttempts; attempt++)
        {
            var (orderId, _) = await fixture.PlaceOrderAsync($"user_fallback_held_{attempt}");
            await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            held = await connection.QueryFirstOrDefaultAsync<Guid?>(
                """
                select o.id from orders.orders o
                where o.id = @orderId and not exists (select 1 from orders.order_confirmations c where c.order_id = o.id)
                for update of o
                """,
                new { orderId },
                transaction);
            if (held is not null)
            {
                await Task.Delay(HeldPastTheOverlap);
            }
        }

        Assert.True(held is not null, $"none of {HoldAttempts} orders could be held before the sweeper confirmed it");
        var email = Assert.Single(await fixture.WaitForFileAsync(held.Value, ConfirmationFixture.FullSweepEvery + Patience));
        Assert.Equal(ConfirmationFixture.DefaultReplyTo, email.ReplyTo);
    }
}

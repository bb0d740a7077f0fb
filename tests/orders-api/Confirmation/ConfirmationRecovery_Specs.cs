using Dapper;
using OrdersMail.OrdersApi.Confirmation;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>
/// What the sweeper writes for confirmations a stopped writer or a lost message left undone. The wait for the inbox
/// is longer than any spec, so the sweeper cannot confirm an order on its own timeout before the spec has left it as
/// such a failure leaves it; nothing else confirms, as no provisioning event is published.
/// </summary>
public sealed class ConfirmationRecovery_Specs(PatientConfirmationFixture fixture) : IClassFixture<PatientConfirmationFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task When_a_claim_was_never_written_Should_write_it_again_under_the_same_email_id()
    {
        var (orderId, _) = await fixture.PlaceOrderAsync("user_recovery_crash");
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            // What a writer that died between its claim and its file leaves behind.
            await connection.ExecuteAsync(
                """
                insert into orders.order_confirmations (order_id, email_id, reply_to, reason, claimed_at)
                values (@orderId, @emailId, 'jane-9@agentmail.to', 'inbox_ready', now() - interval '1 minute')
                """,
                new { orderId, emailId = ConfirmationEmailIds.For(orderId) });
        }

        var email = Assert.Single(await fixture.WaitForFileAsync(orderId, Patience));

        Assert.Equal(("jane-9@agentmail.to", ConfirmationEmailIds.For(orderId)), (email.ReplyTo, email.EmailId));
    }

    [Fact]
    public async Task When_the_order_got_its_inbox_but_the_confirmation_never_did_Should_confirm_with_the_inbox_as_reply_to()
    {
        var (orderId, _) = await fixture.PlaceOrderAsync("user_recovery_lost");
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            // What an InboxReady leaves when it reached the order's own consumer but was dead-lettered on the
            // confirmation's queue after its retries (seen under load), once the wait for the inbox has passed: the order
            // is made as old as the wait in the same statement, so it becomes overdue only with its inbox.
            await connection.ExecuteAsync(
                """
                update orders.orders set provisioning_state = 'ready', reply_address = 'lost-1@agentmail.to', created_at = created_at - @wait
                where id = @orderId
                """,
                new { orderId, wait = fixture.WaitForInbox });
        }

        // Made overdue in the past, the order may be left to the sweeper's next look back over the whole window.
        var email = Assert.Single(await fixture.WaitForFileAsync(orderId, ConfirmationFixture.FullSweepEvery + Patience));

        Assert.Equal(("lost-1@agentmail.to", ConfirmationEmailIds.For(orderId)), (email.ReplyTo, email.EmailId));
        Assert.Single(fixture.FilesOf(orderId));
    }
}

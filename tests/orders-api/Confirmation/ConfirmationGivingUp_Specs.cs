using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>
/// Claims left unwritten whose write keeps failing for a reason of their own (here a trigger refuses to record one
/// written): the sweeper tries each a bounded number of times, then gives it up, visibly, and one that fails does not
/// hold back the others it took in the same sweep; an outbox that cannot take files spends none of them. A later outcome
/// of the order's inbox still writes one given up, and so does ops' write-again once the cause is fixed.
/// </summary>
public sealed class ConfirmationGivingUp_Specs(GivingUpConfirmationFixture fixture) : IClassFixture<GivingUpConfirmationFixture>
{
    private const string Unwritable = "unwritable@shop.test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_a_claim_can_never_be_written_Should_give_it_up_after_its_attempts_and_show_it_failed()
    {
        var (orderId, _) = await fixture.PlaceOrderAsync("user_giving_up_never");
        await LeaveUnwrittenAsync((orderId, Unwritable));

        var givenUp = await Eventually.Until(() => ClaimAsync(orderId), c => c.GivenUp, Patience, "the sweeper to give the confirmation up");
        var timeline = await fixture.TimelineAsync("user_giving_up_never", orderId);
        await Task.Delay(GivingUpConfirmationFixture.RewriteAfter);

        Assert.Equal(GivingUpConfirmationFixture.MaxAttempts, givenUp.Attempts);
        Assert.Equal((GivingUpConfirmationFixture.MaxAttempts, true), await ClaimAsync(orderId));
        var entry = Assert.Single(timeline.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "confirmation");
        Assert.Equal("Order confirmation failed", entry.GetProperty("title").GetString());
        Assert.Contains(Unwritable, entry.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("problem", entry.GetProperty("tone").GetString());
    }

    [Fact]
    public async Task When_one_claim_of_a_sweep_fails_Should_still_write_the_others_it_took()
    {
        var (failing, _) = await fixture.PlaceOrderAsync("user_giving_up_failing");
        var (writable, _) = await fixture.PlaceOrderAsync("user_giving_up_writable");

        // The failing claim is the older, so the sweep that takes both tries it first.
        await LeaveUnwrittenAsync((failing, Unwritable), (writable, "writable@shop.test"));

        // Within one sweep of both, well before either could be taken again.
        var email = Assert.Single(await fixture.WaitForFileAsync(writable, GivingUpConfirmationFixture.RewriteAfter - TimeSpan.FromSeconds(1)));
        Assert.Equal(("writable@shop.test", ConfirmationEmailIds.For(writable)), (email.ReplyTo, email.EmailId));
    }

    [Fact]
    public async Task When_the_outbox_cannot_take_files_for_longer_than_the_attempts_last_Should_spend_none_and_write_the_confirmation_once_it_can()
    {
        var (orderId, _) = await fixture.PlaceOrderAsync("user_giving_up_outage");
        var staging = new MailOutboxFolders(fixture.OutboxDirectory).Staging;

        // The outbox's disk refusing every file: its staging folder cannot be made while a file holds its name.
        Directory.CreateDirectory(staging);
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "not a folder");
        DateTime takenLast;
        try
        {
            await LeaveUnwrittenAsync((orderId, "outage@shop.test"));
            var claimedAt = await ClaimedAtAsync(orderId);

            // Long enough for the sweeper to take the claim more often than its attempts allow.
            await Task.Delay(GivingUpConfirmationFixture.RewriteAfter * (GivingUpConfirmationFixture.MaxAttempts + 1) + TimeSpan.FromSeconds(3));
            takenLast = await ClaimedAtAsync(orderId);
            Assert.True(takenLast > claimedAt.AddSeconds(GivingUpConfirmationFixture.RewriteAfter.TotalSeconds), "the sweeper took the claim again during the outage");
            // Read between a sweep's take and its give-back, the claim shows that one attempt; never more, never given up.
            var (attempts, givenUp) = await ClaimAsync(orderId);
            Assert.False(givenUp, "an outbox outage gave the claim up");
            Assert.InRange(attempts, 0, 1);
        }
        finally
        {
            File.Delete(staging);
        }

        var email = Assert.Single(await fixture.WaitForFileAsync(orderId, Patience));
        Assert.Equal(("outage@shop.test", ConfirmationEmailIds.For(orderId)), (email.ReplyTo, email.EmailId));
        Assert.Equal((1, false), await ClaimAsync(orderId));
    }

    [Fact]
    public async Task When_a_given_up_claim_gets_another_InboxReady_Should_write_it_and_show_it_written()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_giving_up_again");
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            // What the sweeper leaves of a claim it gave up.
            await connection.ExecuteAsync(
                """
                insert into orders.order_confirmations (order_id, email_id, reply_to, reason, claimed_at, attempts, given_up_at)
                values (@orderId, @emailId, 'again-1@agentmail.to', 'inbox_ready', now() - interval '1 minute', @MaxAttempts, now())
                """,
                new { orderId, emailId = ConfirmationEmailIds.For(orderId), GivingUpConfirmationFixture.MaxAttempts });
        }

        await fixture.PublishAsync(new InboxReady(orderId, orderRef, "user_giving_up_again", "again-1@agentmail.to", "again-1@agentmail.to", "wh_again", DateTimeOffset.UtcNow));

        var email = Assert.Single(fixture.FilesOf(orderId));
        Assert.Equal(("again-1@agentmail.to", ConfirmationEmailIds.For(orderId)), (email.ReplyTo, email.EmailId));
        var timeline = await fixture.TimelineAsync("user_giving_up_again", orderId);
        var entry = Assert.Single(timeline.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "confirmation");
        Assert.Equal("Order confirmation written to the outbox", entry.GetProperty("title").GetString());
    }

    [Fact]
    public async Task When_ops_write_a_given_up_claim_again_once_its_cause_is_fixed_Should_write_it_once_and_show_it_written()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_giving_up_fixed");
        await LeaveUnwrittenAsync((orderId, Unwritable));
        await Eventually.Until(() => ClaimAsync(orderId), c => c.GivenUp, Patience, "the sweeper to give the confirmation up");
        // Each attempt wrote its file before its record failed; the relay sends one email id once.
        var tried = fixture.FilesOf(orderId).Count;
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        // Ops fix the cause and deploy. The specs of the class run one at a time, and the next to need the trigger makes it again.
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("drop trigger refuse_unwritable_confirmation on orders.order_confirmations");
        }

        using var putBack = await ops.PostAsync(WriteAgain(orderId), null);

        Assert.Equal(HttpStatusCode.Accepted, putBack.StatusCode);
        var claim = await putBack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            (orderId, orderRef, ConfirmationEmailIds.For(orderId), Unwritable),
            (claim.GetProperty("order_id").GetGuid(), claim.GetProperty("order_ref").GetString(), claim.GetProperty("email_id").GetGuid(), claim.GetProperty("reply_to").GetString()));
        await Eventually.Until(() => WrittenAtAsync(orderId), w => w is not null, Patience, "the sweeper to write the confirmation put back");
        var timeline = await fixture.TimelineAsync("user_giving_up_fixed", orderId);
        var entry = Assert.Single(timeline.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "confirmation");
        Assert.Equal("Order confirmation written to the outbox", entry.GetProperty("title").GetString());
        Assert.Equal("info", entry.GetProperty("tone").GetString());

        // Longer than the sweeper waits before it takes a claim again: it is written once, under its one email id.
        await Task.Delay(GivingUpConfirmationFixture.RewriteAfter + TimeSpan.FromSeconds(1));
        var files = fixture.FilesOf(orderId);
        Assert.Equal(tried + 1, files.Count);
        Assert.All(files, f => Assert.Equal((Unwritable, ConfirmationEmailIds.For(orderId)), (f.ReplyTo, f.EmailId)));
        using var again = await ops.PostAsync(WriteAgain(orderId), null);
        Assert.Equal("Written already", (await ConversationHttp.ProblemAsync(again, HttpStatusCode.Conflict)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task When_ops_write_again_a_claim_not_given_up_Should_answer_409_and_change_nothing()
    {
        var (written, orderRef) = await fixture.PlaceOrderAsync("user_giving_up_written");
        await fixture.PublishAsync(new InboxReady(written, orderRef, "user_giving_up_written", "written-1@agentmail.to", "written-1@agentmail.to", "wh_written", DateTimeOffset.UtcNow));
        var (tried, _) = await fixture.PlaceOrderAsync("user_giving_up_tried");
        await ClaimedByAWriterAsync(tried);
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        using var writtenAgain = await ops.PostAsync(WriteAgain(written), null);
        using var triedAgain = await ops.PostAsync(WriteAgain(tried), null);

        Assert.Equal("Written already", (await ConversationHttp.ProblemAsync(writtenAgain, HttpStatusCode.Conflict)).GetProperty("title").GetString());
        Assert.Equal("Not given up", (await ConversationHttp.ProblemAsync(triedAgain, HttpStatusCode.Conflict)).GetProperty("title").GetString());
        Assert.Single(fixture.FilesOf(written));
    }

    [Fact]
    public async Task When_ops_write_again_an_unknown_order_or_one_with_no_claim_Should_answer_404_and_a_customer_401()
    {
        var (unclaimed, _) = await fixture.PlaceOrderAsync("user_giving_up_unclaimed");
        using var ops = fixture.Api.CreateClient().WithOpsKey();
        using var customer = await fixture.ClientOfAsync("user_giving_up_unclaimed");

        using var unknown = await ops.PostAsync(WriteAgain(Guid.NewGuid()), null);
        using var noClaim = await ops.PostAsync(WriteAgain(unclaimed), null);
        using var notAnId = await ops.PostAsync("/confirmations/not-an-id/write-again", null);
        using var byCustomer = await customer.PostAsync(WriteAgain(unclaimed), null);

        Assert.Equal("Unknown order", (await ConversationHttp.ProblemAsync(unknown, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal("No confirmation claimed", (await ConversationHttp.ProblemAsync(noClaim, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal("Invalid id", (await ConversationHttp.ProblemAsync(notAnId, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        // A customer's session token is no ops key, whatever order it names.
        Assert.Equal("Ops key required", (await ConversationHttp.ProblemAsync(byCustomer, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
        Assert.Empty(fixture.FilesOf(unclaimed));
    }

    private static string WriteAgain(Guid orderId) => $"/confirmations/{orderId}/write-again";

    // What writers that failed between their claim and their file leave: the claims unwritten, due to the sweeper, in one
    // transaction, each older than the next; a claim replying to the unwritable address can never be recorded written.
    private async Task LeaveUnwrittenAsync(params (Guid OrderId, string ReplyTo)[] claims)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            $"""
            create or replace function orders.refuse_unwritable_confirmation() returns trigger language plpgsql as $$
            begin
                raise exception 'the confirmation of order % can never be recorded written', new.order_id;
            end
            $$;
            create or replace trigger refuse_unwritable_confirmation before update of written_at on orders.order_confirmations
            for each row when (new.written_at is not null and new.reply_to = '{Unwritable}')
            execute function orders.refuse_unwritable_confirmation();

            insert into orders.order_confirmations (order_id, email_id, reply_to, reason, claimed_at)
            select c.order_id, c.email_id, c.reply_to, 'inbox_ready', now() - interval '1 minute' * (10 - c.n)
            from unnest(@OrderIds, @EmailIds, @ReplyTos) with ordinality as c (order_id, email_id, reply_to, n);
            """,
            new
            {
                OrderIds = claims.Select(c => c.OrderId).ToArray(),
                EmailIds = claims.Select(c => ConfirmationEmailIds.For(c.OrderId)).ToArray(),
                ReplyTos = claims.Select(c => c.ReplyTo).ToArray(),
            });
    }

    // A claim as a writer still at it holds it: unwritten, and not due to the sweeper for an hour (stamped ahead), so no
    // sweep takes or gives it up while the spec looks.
    private async Task ClaimedByAWriterAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into orders.order_confirmations (order_id, email_id, reply_to, reason, claimed_at)
            values (@OrderId, @EmailId, 'writing@shop.test', 'inbox_ready', now() + interval '1 hour')
            """,
            new { OrderId = orderId, EmailId = ConfirmationEmailIds.For(orderId) });
    }

    private async Task<DateTime?> WrittenAtAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<DateTime?>("select written_at from orders.order_confirmations where order_id = @orderId", new { orderId });
    }

    private async Task<DateTime> ClaimedAtAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<DateTime>("select claimed_at from orders.order_confirmations where order_id = @orderId", new { orderId });
    }

    private async Task<(int Attempts, bool GivenUp)> ClaimAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, bool)>(
            "select attempts, given_up_at is not null from orders.order_confirmations where order_id = @orderId", new { orderId });
    }
}

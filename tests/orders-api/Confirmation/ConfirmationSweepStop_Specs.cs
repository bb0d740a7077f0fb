using Dapper;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>
/// orders-api stopped (a deploy) while its sweeper writes a batch of claims it took: the stop is no fault of theirs, so
/// the claims it had not written get back the attempt the sweep stamped. A class of its own: the spec stops its host.
/// </summary>
public sealed class ConfirmationSweepStop_Specs(GivingUpConfirmationFixture fixture) : IClassFixture<GivingUpConfirmationFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_the_service_stops_while_the_sweeper_writes_a_batch_Should_give_back_the_attempts_of_the_claims_it_had_not_written()
    {
        var orders = new List<Guid>();
        foreach (var user in new[] { "user_stop_first", "user_stop_second", "user_stop_third" })
        {
            orders.Add((await fixture.PlaceOrderAsync(user)).Id);
        }

        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            // Recording a confirmation written takes a minute, so the sweep is still writing its first claim when the
            // service stops; the claims are due to the sweeper, each older than the next, so one sweep takes them all.
            await connection.ExecuteAsync(
                """
                create or replace function orders.slow_written_confirmation() returns trigger language plpgsql as $$
                begin
                    perform pg_sleep(60);
                    return new;
                end
                $$;
                create or replace trigger slow_written_confirmation before update of written_at on orders.order_confirmations
                for each row execute function orders.slow_written_confirmation();

                insert into orders.order_confirmations (order_id, email_id, reply_to, reason, claimed_at)
                select c.order_id, c.email_id, 'stop@shop.test', 'inbox_ready', now() - interval '1 minute' * (10 - c.n)
                from unnest(@OrderIds, @EmailIds) with ordinality as c (order_id, email_id, n);
                """,
                new { OrderIds = orders.ToArray(), EmailIds = orders.Select(ConfirmationEmailIds.For).ToArray() });
        }

        await Eventually.Until(() => AttemptsAsync(orders), a => a.All(n => n == 1), Patience, "one sweep to take the three claims");
        await fixture.WaitForFileAsync(orders[0], Patience);

        await fixture.Api.DisposeAsync();

        var attempts = await AttemptsAsync(orders);
        Assert.Equal([0, 0, 0], attempts);
    }

    private async Task<int[]> AttemptsAsync(IReadOnlyList<Guid> orders)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var attempts = (await connection.QueryAsync<(Guid OrderId, int Attempts)>(
            "select order_id, attempts from orders.order_confirmations where order_id = any(@Orders) and written_at is null and given_up_at is null",
            new { Orders = orders.ToArray() })).ToDictionary(r => r.OrderId, r => r.Attempts);
        return [.. orders.Select(o => attempts.GetValueOrDefault(o, -1))];
    }
}

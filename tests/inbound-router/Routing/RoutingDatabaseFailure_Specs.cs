using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// A database that fails a batch transiently after its claim (no pooled connection free, a command timed out behind a
/// lock, connections dropped in a failover) is no fault of the batch's emails: their attempts are given back, so however
/// often it fails, each email is routed once the database answers, never parked for a person as "routing failed".
/// </summary>
public sealed class RoutingDatabaseFailure_Specs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // The router's own pump scans often and backs off briefly, so a dozen failed attempts take seconds, not the ~10
    // minutes of the default backoffs.
    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Routing:ScanInterval"] = "00:00:00.100",
        ["InboundRouter:Routing:RetryBaseDelay"] = "00:00:00.050",
        ["InboundRouter:Routing:RetryMaxDelay"] = "00:00:00.200",
    });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    // The claim committed, then recording the decision failed at every try for as long as the database did: each failure
    // counted, so ten of them (9 to 14 minutes of backoff) parked the email and its customer got no reply until ops
    // re-routed it.
    [Fact]
    public async Task When_recording_the_decision_fails_transiently_more_than_MaxAttempts_times_Should_route_the_email_once_the_database_answers_not_park_it()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, _, _) = await _world.ProvisionAsync("ORD-DB-FAILING");
        await _world.KnowOrderAsync("ORD-DB-FAILING", orderId);
        var maxAttempts = _world.Router.Services.GetRequiredService<IOptions<RoutingOptions>>().Value.MaxAttempts;

        // A serialization failure (40001, transient as Npgsql tells it) on every write of a decision, routed or parked;
        // the sequence counts them, as no rollback undoes a nextval.
        await ExecuteAsync(
            """
            create sequence inbound.failed_decisions;
            create function inbound.fail_decision() returns trigger language plpgsql as $$
            begin
                perform nextval('inbound.failed_decisions');
                raise exception 'could not serialize access due to concurrent update' using errcode = '40001';
            end $$;
            create trigger fail_decision before insert on inbound.routed_messages execute function inbound.fail_decision();
            """);
        var email = RouterWorld.Email(inboxId, "<db-failing@customer.example>");
        await _world.RecordReceivedAsync([email]);

        await Eventually.Until(FailedDecisionsAsync, n => n > maxAttempts + 1, Timeout, $"the decision's write to fail more than {maxAttempts + 1} times");
        await ExecuteAsync("drop trigger fail_decision on inbound.routed_messages");

        var routed = await Eventually.Until(() => _world.OutboxAsync<InboundMessageRouted>(), r => r.Count == 1, Timeout, "the email to be routed once the database answers");
        Assert.Equal(orderId, routed[0].GetProperty("orderId").GetGuid());
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    private async Task<long> FailedDecisionsAsync()
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select case when is_called then last_value else 0 end from inbound.failed_decisions");
    }
}

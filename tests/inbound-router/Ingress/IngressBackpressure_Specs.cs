using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>
/// While the ingress's inserts stall (here a lock on <c>received_events</c>, as a failover or a pool with no connection
/// free would), what it holds is bounded and what it answered stays true: an event answered 503 is not recorded after
/// all, and once as many events wait as it holds (here 4) the next is answered 503 at once. Until 2026-12-08 the queue had
/// no bound: every event, email and all, stayed in memory after its 503, AgentMail's retries joined it, and after the
/// stall the stale backlog was recorded first, fresh events timing out behind it.
/// </summary>
public sealed class IngressBackpressure_Specs : IAsyncLifetime
{
    private const int MaxQueued = 4;
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The ingress's insert takes a row exclusive lock, which waits behind this one until its transaction ends.
    private const string StallInserts = "lock table inbound.received_events in share row exclusive mode";

    // One writer, so the event it holds behind the lock is the one posted first.
    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Ingress:RecordTimeout"] = RecordTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["InboundRouter:Ingress:Writers"] = "1",
        ["InboundRouter:Ingress:MaxQueued"] = $"{MaxQueued}",
    });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task When_events_queued_behind_a_stalled_insert_were_answered_503_Should_not_record_them_once_it_recovers()
    {
        var (inboxId, _, secret) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-STALL", "user_stall");
        var takenId = $"msg_{Guid.NewGuid():N}";
        var queuedIds = Enumerable.Range(0, 3).Select(_ => $"msg_{Guid.NewGuid():N}").ToArray();

        HttpResponseMessage taken;
        HttpResponseMessage[] queued;
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(StallInserts, transaction: transaction);
            var taking = _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret, takenId);
            await WaitForInsertBehindTheLockAsync();
            queued = await Task.WhenAll(queuedIds.Select(id => _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret, id)));
            taken = await taking;
        }

        Assert.All(queued, answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, taken.StatusCode);

        // Posted after the stale ones, answered after them: by then the writer has gone past them.
        var fresh = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret);

        Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        Assert.Equal(0, await RowsAsync(queuedIds));

        // The event the writer held was committed with its batch after its 503: AgentMail's retry is a duplicate.
        Assert.Equal(1, await RowsAsync([takenId]));
        Assert.Equal(HttpStatusCode.OK, (await _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret, takenId)).StatusCode);
    }

    [Fact]
    public async Task When_as_many_events_wait_as_the_ingress_holds_Should_answer_the_next_503_with_retry_after_at_once()
    {
        var (inboxId, _, secret) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-FULL", "user_full");
        var body = ReceivedEvents.For(inboxId);
        var svixId = $"msg_{Guid.NewGuid():N}";
        using var instruments = new ServiceInstruments(_world.Router.Services, "ordersmail.inbound.webhooks");

        HttpResponseMessage full;
        TimeSpan answeredIn;
        long countedBefore;
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(StallInserts, transaction: transaction);
            var taking = _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret);
            await WaitForInsertBehindTheLockAsync();

            // Answered 503 after RecordTimeout, they keep their places until the writer is free to drop them.
            await Task.WhenAll(Enumerable.Range(0, MaxQueued).Select(_ => _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret)));
            await taking;
            countedBefore = instruments.Observe().GetValueOrDefault("unavailable");

            var clock = Stopwatch.StartNew();
            full = await _world.PostSignedAsync(body, secret, svixId);
            answeredIn = clock.Elapsed;
        }

        Assert.True(answeredIn < RecordTimeout / 2, $"The full queue's answer took {answeredIn}, as long as a wait for a writer.");
        Assert.Contains("as many events waiting to be recorded as it holds", await ProblemAnswer.DetailAsync(full, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2), full.Headers.RetryAfter?.Delta);
        Assert.Equal(countedBefore + 1, instruments.Observe().GetValueOrDefault("unavailable"));

        await Eventually.Until(() => _world.PostSignedAsync(body, secret, svixId), r => r.StatusCode == HttpStatusCode.Accepted, Timeout, "the event to be taken once the inserts go on");
    }

    private async Task WaitForInsertBehindTheLockAsync() =>
        await Eventually.Until(
            async () =>
            {
                await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
                return await connection.ExecuteScalarAsync<long>(
                    "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into received_events%'");
            },
            waiting => waiting > 0,
            Timeout,
            "the writer's insert to wait behind the lock");

    private async Task<long> RowsAsync(string[] svixIds)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from inbound.received_events where svix_id = any(@SvixIds)", new { SvixIds = svixIds });
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Ingress;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboundRouter.Tests.Secrets;

/// <summary>
/// The secret the router verifies an inbox's events with follows AgentMail: a secret that changed since the router read
/// it works from the next event, and a replaced webhook's successor does while the replaced one is never trusted again.
/// A database that cannot give the secret now is answered 503 for AgentMail to retry, never as a refused signature.
/// </summary>
public sealed class WebhookSecrets_Specs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_accept_the_next_event_signed_with_a_secret_rotated_since_the_router_stored_it()
    {
        var (inboxId, webhookId, secret) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-ROTATE", "user_rotate");

        // What the router holds after AgentMail rotated the secret: the one it read before.
        var stale = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a-secret-from-before-rotation!!!"));
        await ExecuteAsync("update inbound.inbox_webhooks set secret = @Stale where inbox_id = @InboxId", new { Stale = stale, InboxId = inboxId });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(secret, await ScalarAsync<string>("select secret from inbound.inbox_webhooks where inbox_id = @InboxId", new { InboxId = inboxId }));
        Assert.Equal(1, await _world.CountAsync("received_events"));
    }

    // The refresh after a mismatch joined the ordinary load of the expired secret already running, which answered with
    // the stored secret that had just not matched: the event was refused, and so was every one of the inbox for
    // SecretRefreshEvery, the refresh counted as done though AgentMail was never asked.
    [Fact]
    public async Task Should_ask_AgentMail_on_a_refresh_that_comes_while_an_ordinary_load_of_the_secret_is_running()
    {
        var (inboxId, _, secret) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-ROTATE-LOADING", "user_rotate_loading");
        var stale = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a-secret-from-before-rotation!!!"));
        await ExecuteAsync("update inbound.inbox_webhooks set secret = @Stale where inbox_id = @InboxId", new { Stale = stale, InboxId = inboxId });
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var options = new IngressOptions();
        using var secrets = new InboxSecrets(
            _world.Router.Services.GetRequiredService<InboxWebhookStore>(),
            _world.Router.Services.GetRequiredService<IAgentMailDirectory>(),
            _world.Router.Services.GetRequiredService<MissedMailSignal>(),
            Options.Create(options),
            clock,
            NullLogger<InboxSecrets>.Instance);
        var mismatched = await secrets.VerifierAsync(inboxId);
        Assert.NotNull(mismatched);
        clock.Advance(options.SecretCacheFor + TimeSpan.FromSeconds(1));

        // The table locked, the ordinary load of the expired secret waits on its read while the refresh is asked for.
        Task<SvixWebhookVerifier?> ordinary, refreshing;
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("lock table inbound.inbox_webhooks in access exclusive mode", transaction: transaction);
            ordinary = secrets.VerifierAsync(inboxId);
            refreshing = secrets.RefreshedVerifierAsync(inboxId, mismatched);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.False(ordinary.IsCompleted);
            await transaction.CommitAsync();
        }

        await ordinary;
        var refreshed = await refreshing;

        Assert.NotNull(refreshed);
        var body = ReceivedEvents.For(inboxId);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in SvixSigner.Headers(secret, "msg_rotated_while_loading", clock.GetUtcNow(), body))
        {
            headers[name] = value;
        }

        Assert.True(refreshed.Verify(body, headers).IsVerified);
        Assert.Equal(secret, await ScalarAsync<string>("select secret from inbound.inbox_webhooks where inbox_id = @InboxId", new { InboxId = inboxId }));
    }

    [Fact]
    public async Task Should_trust_the_replacing_webhook_from_the_next_event_and_never_the_replaced_one_again()
    {
        var (inboxId, oldWebhookId, oldSecret) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-REPLACE", "user_replace", DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(HttpStatusCode.Accepted, (await _world.PostSignedAsync(ReceivedEvents.For(inboxId), oldSecret)).StatusCode);

        var (newWebhookId, newSecret) = await ReplaceWebhookAsync("user_replace", inboxId, oldWebhookId);

        var signedNew = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), newSecret);
        var signedOld = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), oldSecret);

        // A late InboxReady naming the replaced webhook changes nothing either.
        await _world.PublishAsync(new InboxReady(Guid.NewGuid(), "ORD-REPLACE2", "user_replace", inboxId, inboxId, oldWebhookId, DateTimeOffset.UtcNow));
        await Eventually.Until(() => _world.CountAsync("order_refs"), n => n == 2, Timeout, "the late InboxReady to be consumed");
        var signedOldAgain = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), oldSecret);

        Assert.Equal(HttpStatusCode.Accepted, signedNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signedOld.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signedOldAgain.StatusCode);
        Assert.Equal(newWebhookId, await ScalarAsync<string>("select webhook_id from inbound.inbox_webhooks where inbox_id = @InboxId", new { InboxId = inboxId }));
        Assert.Equal(2, await _world.CountAsync("received_events"));
        Assert.Equal(2, await ScalarAsync<long>("select count(*) from inbound.received_events where email is not null or routed_at is not null", new { }));
    }

    // AgentMail answers for an address in any case, and reply addresses are public: an unsigned event naming the
    // customer's inbox in another spelling must not make the router store the customer's secret under that spelling.
    [Fact]
    public async Task Should_store_nothing_for_an_event_naming_the_inbox_in_another_spelling_than_AgentMails()
    {
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-SPELLING", "user_spelling");

        var answer = await PostUnsignedAsync(ReceivedEvents.For(inboxId.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(1, await _world.CountAsync("inbox_webhooks"));
    }

    // A spelling stored with the secret of its day kept it after the customer's webhook was replaced: the replaced
    // webhook's secret, leaked or not, was trusted again for every event naming that spelling.
    [Fact]
    public async Task Should_refuse_an_event_naming_the_inbox_in_another_spelling_signed_with_the_replaced_webhooks_secret()
    {
        var (inboxId, oldWebhookId, oldSecret) = await _world.ProvisionAsync("ORD-SPELLING-OLD");
        var spelling = inboxId.ToUpperInvariant();
        await _world.ReadyAsync(Guid.NewGuid(), "ORD-SPELLING-OLD", "user_spelling_old", inboxId, oldWebhookId, DateTimeOffset.UtcNow.AddMinutes(-1));
        await PostUnsignedAsync(ReceivedEvents.For(spelling));

        await ReplaceWebhookAsync("user_spelling_old", inboxId, oldWebhookId);

        var signedOld = await _world.PostSignedAsync(ReceivedEvents.For(spelling), oldSecret);

        Assert.Equal(HttpStatusCode.Unauthorized, signedOld.StatusCode);
        Assert.Equal(0, await _world.CountAsync("received_events"));
        Assert.Equal(1, await _world.CountAsync("inbox_webhooks"));
    }

    // A row the retirement of its webhook did not move (stored under another spelling of the address before the router
    // kept to AgentMail's) must not make the retired webhook's secret trusted again, even while AgentMail still has it.
    [Fact]
    public async Task Should_never_trust_a_retired_webhook_that_a_stored_row_still_names()
    {
        var (inboxId, webhookId, secret) = await _world.ProvisionAsync("ORD-LEFT-BEHIND");
        await _world.Router.Services.GetRequiredService<InboxWebhookStore>().AddDiscoveredAsync(inboxId, webhookId, secret, CancellationToken.None);
        await ExecuteAsync("insert into inbound.retired_webhooks (webhook_id) values (@Id)", new { Id = webhookId });

        var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(0, await _world.CountAsync("received_events"));
    }

    // The router decides a webhook is gone when AgentMail no longer has it for the inbox; if AgentMail then names that
    // same webhook (its answer flapped between the two reads), retiring it would refuse the inbox's every event for good.
    [Fact]
    public async Task Should_not_retire_a_webhook_that_AgentMail_names_again_after_it_seemed_gone()
    {
        var (inboxId, webhookId, secret) = await _world.ProvisionAsync("ORD-FLAP");
        var store = _world.Router.Services.GetRequiredService<InboxWebhookStore>();
        await store.AddDiscoveredAsync(inboxId, webhookId, secret, CancellationToken.None);

        var moved = await store.ReplaceGoneAsync(inboxId, webhookId, webhookId, secret, CancellationToken.None);

        Assert.False(moved);
        Assert.Equal(0, await ScalarAsync<long>("select count(*) from inbound.retired_webhooks where webhook_id = @Id", new { Id = webhookId }));
        Assert.Equal(webhookId, (await store.FindAsync(inboxId, CancellationToken.None))?.WebhookId);
    }

    // PostgreSQL away or saturated for longer than a secret is cached (Ingress:SecretCacheFor, a minute): every event of
    // an inbox whose secret was not in memory got 401 "could not be looked up now" and was counted as refused, as if
    // forged, where the event was neither refused nor recorded.
    [Fact]
    public async Task When_the_database_cannot_give_the_inboxes_secret_in_time_Should_answer_503_with_retry_after_and_take_the_event_once_it_answers()
    {
        var (inboxId, _, secret) = await _world.ProvisionReadyAsync(Guid.NewGuid(), "ORD-DB-SECRET", "user_db_secret");
        var body = ReceivedEvents.For(inboxId);
        var svixId = $"msg_{Guid.NewGuid():N}";

        HttpResponseMessage unavailable;
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // The lookup waits behind the lock past Ingress:SecretLookupTimeout (5 s), as behind a pool with no connection free.
            await connection.ExecuteAsync("lock table inbound.inbox_webhooks in access exclusive mode", transaction: transaction);
            unavailable = await _world.PostSignedAsync(body, secret, svixId);
        }

        Assert.Contains("could not be read from the database", await ProblemAnswer.DetailAsync(unavailable, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2), unavailable.Headers.RetryAfter?.Delta);
        Assert.Equal(0, await _world.CountAsync("received_events"));

        var retried = await _world.PostSignedAsync(body, secret, svixId);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(1, await _world.CountAsync("received_events"));
    }

    // The provisioner's repair: a new webhook for the inbox, the old one deleted, the replacement published; once learnt.
    private async Task<(string WebhookId, string Secret)> ReplaceWebhookAsync(string userId, string inboxId, string oldWebhookId)
    {
        var (newWebhookId, newSecret) = await _world.AddWebhookAsync(inboxId);
        await _world.DeleteWebhookAsync(oldWebhookId);
        await _world.PublishAsync(new InboxWebhookReplaced(userId, inboxId, newWebhookId, oldWebhookId, DateTimeOffset.UtcNow));
        await Eventually.Until(
            () => ScalarAsync<long>("select count(*) from inbound.retired_webhooks where webhook_id = @Id", new { Id = oldWebhookId }),
            n => n == 1,
            Timeout,
            "the replaced webhook to be retired");
        return (newWebhookId, newSecret);
    }

    private async Task<HttpResponseMessage> PostUnsignedAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _world.Client.PostAsync(AgentMailWebhookEndpoint.Route, content);
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    private async Task<T?> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters);
    }
}

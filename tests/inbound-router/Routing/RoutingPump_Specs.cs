using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Integrations.AgentMail;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// The routing pump is crash-safe and replica-safe: a pump that claimed emails and died leaves them to whoever comes
/// after its claim expires, and one that was only slow and finishes late publishes nothing twice; pumps working the same
/// rows at once never take one row twice (one claim each), and every email is decided once; one whose routing kept
/// failing is parked for ops instead of retried for good, and one that can never be decided is set aside for a person.
/// </summary>
public sealed class RoutingPump_Specs : IAsyncLifetime
{
    // The router's own pump only routes what the ingress wakes it for (the spec records rows without waking it), so the
    // pumps a spec makes are the only ones at work; batches of ten, so a few dozen rows take several.
    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Routing:ScanInterval"] = "01:00:00",
        ["InboundRouter:Routing:BatchSize"] = "10",
    });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task When_a_pump_dies_between_claim_and_commit_Should_route_its_emails_once_after_its_claim_expires()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-CRASH", orderId);
        var emails = Enumerable.Range(0, 3).Select(n => RouterWorld.Email(inboxId, $"<crash-{n}@customer.example>")).ToList();
        await _world.RecordReceivedAsync(emails);
        var (dead, alive) = (Pump(), Pump());

        // The first pump claims the emails and stops there: killed before its routing transaction.
        var claimedByDead = await _world.Router.Services.GetRequiredService<UnroutedEmails>().ClaimAsync(10, CancellationToken.None);
        Assert.Equal(3, claimedByDead.Count);
        Assert.Equal(0, await alive.RouteBatchAsync(CancellationToken.None));
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());

        await ExpireClaimsAsync();
        Assert.Equal(3, await alive.RouteBatchAsync(CancellationToken.None));

        // Had it been only slow, its late routing of the same claim writes nothing.
        await dead.RouteAsync(claimedByDead, CancellationToken.None);
        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(emails.Select(e => e.MessageId).Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.All(routed, r => Assert.Equal(orderId, r.GetProperty("orderId").GetGuid()));
        Assert.Equal(3, await _world.CountAsync("routed_messages"));
        Assert.Equal(0, await UnroutedAsync());
    }

    [Fact]
    public async Task When_two_pumps_work_the_same_rows_at_once_Should_claim_each_row_once_and_route_each_email_once()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-TWO-PUMPS", orderId);
        var emails = Enumerable.Range(0, 60).Select(n => RouterWorld.Email(inboxId, $"<pumps-{n}@customer.example>")).ToList();
        var repeats = emails.Take(5).Select(e => e with { EventId = $"evt_{Guid.NewGuid():N}" }).ToList();
        await _world.RecordReceivedAsync([.. emails, .. repeats]);

        // Each claim wakes the router's own pump too, so three pumps share the rows.
        var claimed = await Task.WhenAll(DrainAsync(Pump()), DrainAsync(Pump()));
        await Eventually.Until(UnroutedAsync, n => n == 0, TimeSpan.FromSeconds(30), "every email to be routed");

        Assert.InRange(claimed.Sum(), 1, 65);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from inbound.received_events where route_attempts <> 1"));
        }

        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(emails.Select(e => e.MessageId).Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.Equal(60, await _world.CountAsync("routed_messages"));
        Assert.Equal(0, await UnroutedAsync());
    }

    [Fact]
    public async Task When_an_emails_routing_failed_too_often_Should_park_it_with_the_reason_for_ops_to_route_once_fixed()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-GAVE-UP", orderId);
        var email = RouterWorld.Email(inboxId, "<gave-up@customer.example>");
        await _world.RecordReceivedAsync([email]);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            // Ten claims already made (the default Routing:MaxAttempts), none committed: this claim is one too many.
            await connection.ExecuteAsync("update inbound.received_events set route_attempts = 10");
        }

        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));

        var parked = Assert.Single(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Contains("routing failed", parked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal(0, await UnroutedAsync());
        var parkedId = (await _world.Client.GetFromJsonAsync<JsonElement>("/routing/parked"))[0].GetProperty("id").GetGuid();
        var rerouted = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);
        Assert.Equal(HttpStatusCode.OK, rerouted.StatusCode);
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal(email.MessageId, routed.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task When_a_stored_email_cannot_be_read_Should_set_its_row_aside_and_route_the_rest_of_its_batch()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-UNREADABLE", orderId);
        var emails = Enumerable.Range(0, 3).Select(n => RouterWorld.Email(inboxId, $"<readable-{n}@customer.example>")).ToList();
        await _world.RecordReceivedAsync(emails);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            // Oldest, so it is in the first batch: a shape this version cannot read.
            await connection.ExecuteAsync(
                """
                insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, email, received_at)
                values ('msg_unreadable', 'evt_unreadable', @inboxId, 'message.received', '{"messageId": ["not", "a", "string"]}', now() - interval '1 minute')
                """,
                new { inboxId });
        }

        Assert.Equal(3, await DrainAsync(Pump()));

        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(emails.Select(e => e.MessageId).Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        var (email, claimedUntil) = await check.QuerySingleAsync<(string?, string)>(
            "select email, claimed_until::text from inbound.received_events where svix_id = 'msg_unreadable'");
        Assert.NotNull(email);
        Assert.Equal("infinity", claimedUntil);
        var listed = Assert.Single(await SetAsideAsync())!;
        Assert.Equal("msg_unreadable", listed["svix_id"]!.GetValue<string>());
        Assert.Equal("its row cannot be read", listed["reason"]!.GetValue<string>());
        Assert.Equal(1, GaugeReading("ordersmail.inbound.set_aside"));
    }

    [Fact]
    public async Task When_a_stored_emails_message_id_is_too_long_to_key_its_decision_Should_set_its_row_aside_and_route_the_rest_of_its_batch()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-LONG-ID", orderId);
        var emails = Enumerable.Range(0, 3).Select(n => RouterWorld.Email(inboxId, $"<keyable-{n}@customer.example>")).ToList();

        // Recorded before the ingress refused such ids: no index row can hold it, so neither a decision nor a parking can.
        var tooLong = RouterWorld.Email(inboxId, $"<{new string('x', 6000)}@customer.example>");
        await _world.RecordReceivedAsync([tooLong, .. emails]);
        await MakeOldestAsync(tooLong);

        Assert.Equal(3, await DrainAsync(Pump()));

        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(emails.Select(e => e.MessageId).Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Equal("infinity", await ClaimedUntilAsync(tooLong));
        var listed = Assert.Single(await SetAsideAsync())!;
        Assert.Equal($"msg_{tooLong.EventId}", listed["svix_id"]!.GetValue<string>());
        Assert.Contains("message_id", listed["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_email_could_not_even_be_parked_in_as_many_attempts_again_Should_set_its_row_aside_instead_of_trying_for_good()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-NOT-PARKED", orderId);
        var email = RouterWorld.Email(inboxId, "<not-parked@customer.example>");
        await _world.RecordReceivedAsync([email]);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            // Ten failed routings (the default Routing:MaxAttempts), then ten failed parkings: this claim is one too many.
            await connection.ExecuteAsync("update inbound.received_events set route_attempts = 20");
        }

        Assert.Equal(0, await Pump().RouteBatchAsync(CancellationToken.None));

        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal("infinity", await ClaimedUntilAsync(email));
        var listed = Assert.Single(await SetAsideAsync())!;
        Assert.Equal("neither routed nor parked in 20 attempts", listed["reason"]!.GetValue<string>());
        Assert.Equal(21, listed["attempts"]!.GetValue<int>());
        Assert.Equal(1, GaugeReading("ordersmail.inbound.set_aside"));

        // Its cause fixed, a person gives it back: the router's own pump routes it, with its attempts from zero.
        var retried = await _world.Client.PostAsync($"/routing/set-aside/msg_{email.EventId}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        var routed = await Eventually.Until(() => _world.OutboxAsync<InboundMessageRouted>(), r => r.Count == 1, TimeSpan.FromSeconds(30), "the email given back to be routed");
        Assert.Equal(orderId, routed[0].GetProperty("orderId").GetGuid());
        Assert.Empty(await SetAsideAsync());
        Assert.Equal(0, GaugeReading("ordersmail.inbound.set_aside"));
        var again = await _world.Client.PostAsync($"/routing/set-aside/msg_{email.EventId}/retry", null);
        Assert.Contains("No received email is set aside", await ProblemAnswer.DetailAsync(again, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    // An AgentMail outage of a few minutes failed every claim of every email that needed it (its inbox's order reference,
    // a body left out), and each failure counted: after MaxAttempts (about 9 minutes of backoff) all were parked for a
    // person to re-route, and their customers got no answer until then.
    [Fact]
    public async Task When_AgentMail_is_unavailable_Should_not_count_the_failed_attempts_and_route_the_email_once_it_is_back()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-AGENTMAIL-DOWN", orderId);
        var email = RouterWorld.Email(inboxId, "<agentmail-down@customer.example>");
        await _world.RecordReceivedAsync([email]);
        await SetAttemptsAsync(email, 9);
        await _world.FaultAsync(new { api = "agentmail", operation = "inboxes.get", error_status = 503 });

        // One attempt short of parking (the default Routing:MaxAttempts is 10), then two more claims during the outage.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));
            await ExpireClaimsAsync();
        }

        Assert.Equal(9, await AttemptsAsync(email));
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());

        await _world.Sandbox.Http.DeleteAsync("sandbox/faults");
        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));
        Assert.Equal(orderId, Assert.Single(await _world.OutboxAsync<InboundMessageRouted>()).GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task When_AgentMail_has_been_unavailable_longer_than_the_patience_Should_count_the_attempts_again_and_park_the_email()
    {
        var inboxId = await InboxOfAsync("ORD-AGENTMAIL-GONE", Guid.NewGuid());
        var email = RouterWorld.Email(inboxId, "<agentmail-gone@customer.example>");
        await _world.RecordReceivedAsync([email]);
        await SetAttemptsAsync(email, 9);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update inbound.received_events set received_at = now() - interval '2 days' where svix_id = @SvixId", new { SvixId = $"msg_{email.EventId}" });
        }

        await _world.FaultAsync(new { api = "agentmail", operation = "inboxes.get", error_status = 503 });
        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        await ExpireClaimsAsync();
        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));

        var parked = Assert.Single(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Contains("routing failed 10 times", parked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await _world.Sandbox.Http.DeleteAsync("sandbox/faults");
    }

    // One email whose body AgentMail could not serve (over 1 MB, so left out of its webhook) failed its whole batch at
    // every claim: every other customer's email claimed with it (the oldest first, so the same ones each time) was given
    // back with it, and after ten claims parked with it, "routing failed 10 times".
    [Fact]
    public async Task When_AgentMail_cannot_serve_one_emails_body_Should_route_the_rest_of_its_batch_and_give_back_that_email_alone()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-ONE-UNSERVED");
        await _world.KnowOrderAsync("ORD-ONE-UNSERVED", orderId);

        // The message is AgentMail's, its webhook gone, so only the spec records its event, without the body.
        await _world.DeleteWebhookAsync(webhookId);
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "A long letter", text = "Where is my order?" });
        var bodiless = RouterWorld.Email(inboxId, messageId) with { Text = null };
        var routable = RouterWorld.Email(inboxId, "<routable@customer.example>");
        await _world.RecordReceivedAsync([bodiless, routable]);
        await _world.FaultAsync(new { api = "agentmail", operation = "messages.get", malformed_answer = true });

        Assert.Equal(2, await Pump().RouteBatchAsync(CancellationToken.None));

        Assert.Equal(routable.MessageId, Assert.Single(await _world.OutboxAsync<InboundMessageRouted>()).GetProperty("messageId").GetString());
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Equal(1, await AttemptsAsync(bodiless));
        Assert.True(await BackOffAsync(bodiless) < 30, "given back with its backoff, not held for the rest of its claim");

        // AgentMail serves it again: its next claim routes it, with its whole text.
        await _world.Sandbox.Http.DeleteAsync("sandbox/faults");
        await ExpireClaimsAsync();
        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>(), r => r.GetProperty("messageId").GetString() == messageId);
        Assert.Equal(orderId, routed.GetProperty("orderId").GetGuid());
        Assert.Equal("Where is my order?", routed.GetProperty("text").GetString());
    }

    // AgentMail unavailable for one body failed the batch, the reply beside it too, which needs nothing of AgentMail; and
    // reading each email's body in turn through an outage would wait out the client's retries once per email.
    [Fact]
    public async Task When_AgentMail_is_unavailable_for_a_body_Should_route_what_needs_no_AgentMail_and_give_back_the_rest_uncounted_asking_once()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-BODIES-DOWN");
        await _world.PublishAsync(new InboxReady(orderId, "ORD-BODIES-DOWN", "user_bodies_down", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await _world.PublishAsync(new OutboundEmailSent(Guid.NewGuid(), orderId, EmailProvider.Resend, "re_down", DateTimeOffset.UtcNow, "<confirmation-down@orders.example>"));
        await Eventually.Until(() => _world.CountAsync("outbound_message_ids"), n => n == 1, TimeSpan.FromSeconds(30), "the confirmation's Message-ID to be learnt");
        await Eventually.Until(() => _world.CountAsync("inbox_owners"), n => n == 1, TimeSpan.FromSeconds(30), "the inbox's customer to be learnt");
        var bodiless = Enumerable.Range(0, 3).Select(n => RouterWorld.Email(inboxId, $"<bodiless-{n}@customer.example>") with { Text = null }).ToList();
        var reply = RouterWorld.Email(inboxId, "<reply-down@customer.example>") with { InReplyTo = "<confirmation-down@orders.example>" };
        await _world.RecordReceivedAsync([.. bodiless, reply]);
        foreach (var email in bodiless)
        {
            await SetAttemptsAsync(email, 9);
        }

        await _world.FaultAsync(new { api = "agentmail", operation = "messages.get", error_status = 500 });

        Assert.Equal(4, await Pump().RouteBatchAsync(CancellationToken.None));

        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal((reply.MessageId, orderId), (routed.GetProperty("messageId").GetString(), routed.GetProperty("orderId").GetGuid()));
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        foreach (var email in bodiless)
        {
            Assert.Equal(9, await AttemptsAsync(email));
            Assert.InRange(await BackOffAsync(email), 200, 300);
        }

        // One body asked for, through the client's retries; the other two not at all.
        var retries = _world.Router.Services.GetRequiredService<IOptions<AgentMailOptions>>().Value.MaxRetries;
        Assert.Equal(1 + retries, await _world.FaultsAppliedAsync());
        await _world.Sandbox.Http.DeleteAsync("sandbox/faults");
    }

    // The customer's new order re-stamps the inbox before the router has consumed its OrderCreated (a backlog, a restart):
    // the email was parked at once, and its customer left unanswered until a person re-routed it.
    [Fact]
    public async Task When_the_inbox_names_an_order_the_router_has_still_to_learn_Should_try_again_later_and_route_it_once_learnt()
    {
        var (inboxId, _, _) = await _world.ProvisionAsync("ORD-NOT-YET");
        var email = RouterWorld.Email(inboxId, "<not-yet@customer.example>");
        await _world.RecordReceivedAsync([email]);

        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));

        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal(1, await UnroutedAsync());
        Assert.NotEqual("", await ClaimedUntilAsync(email));

        var orderId = Guid.NewGuid();
        await _world.KnowOrderAsync("ORD-NOT-YET", orderId);
        await ExpireClaimsAsync();
        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));

        Assert.Equal(orderId, Assert.Single(await _world.OutboxAsync<InboundMessageRouted>()).GetProperty("orderId").GetGuid());
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
    }

    [Fact]
    public async Task When_the_order_the_inbox_names_is_still_unknown_at_the_last_attempt_Should_park_the_email_with_the_reason()
    {
        var (inboxId, _, _) = await _world.ProvisionAsync("ORD-NEVER");
        var email = RouterWorld.Email(inboxId, "<never@customer.example>");
        await _world.RecordReceivedAsync([email]);
        await SetAttemptsAsync(email, 9);

        Assert.Equal(1, await Pump().RouteBatchAsync(CancellationToken.None));

        var parked = Assert.Single(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Equal("order ORD-NEVER (the inbox's metadata.order_ref) is unknown to the router", parked.GetProperty("reason").GetString());
        Assert.Equal(0, await UnroutedAsync());
    }

    // parked_messages keeps (inbox, Message-ID) unique for good, while routed_messages forgets a decision after the
    // retention period: the same Message-ID parked again after that failed its batch's insert, and with it every other
    // email of the batch, given back and retried for about an hour, then set aside.
    [Fact]
    public async Task When_an_email_parked_long_ago_is_parked_again_Should_keep_the_first_and_route_the_rest_of_its_batch()
    {
        var orderId = Guid.NewGuid();
        var inboxId = await InboxOfAsync("ORD-PARKED-AGAIN", orderId);
        var firstId = Guid.NewGuid();
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            // Parked eight days ago; its routed_messages row swept by the retention since.
            await connection.ExecuteAsync(
                """
                insert into inbound.parked_messages (id, inbox_id, message_id, reason, email, parked_at)
                values (@Id, @InboxId, '<reused@x>', 'the first parking', @Email::jsonb, now() - interval '8 days')
                """,
                new { Id = firstId, InboxId = inboxId, Email = RouterWorld.Email(inboxId, "<reused@x>").ToJson() });
        }

        var again = RouterWorld.Email(inboxId, "<reused@x>") with { Unauthenticated = true };
        var innocent = RouterWorld.Email(inboxId, "<innocent@customer.example>");
        await _world.RecordReceivedAsync([again, innocent]);

        Assert.Equal(2, await Pump().RouteBatchAsync(CancellationToken.None));

        Assert.Equal(orderId, Assert.Single(await _world.OutboxAsync<InboundMessageRouted>()).GetProperty("orderId").GetGuid());
        Assert.Empty(await _world.OutboxAsync<InboundMessageParked>());
        Assert.Equal(0, await UnroutedAsync());
        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        Assert.Equal((firstId, "the first parking"), await check.QuerySingleAsync<(Guid, string)>("select id, reason from inbound.parked_messages"));
    }

    // Every batch that parked mail counted, inline, all the mail parked and not acted on: a count linear in what waits
    // for ops, which anyone can grow by sending mail that fails authentication (parked whatever it names).
    [Fact]
    public async Task When_a_batch_parks_mail_Should_leave_the_count_of_parked_mail_to_the_gauge_which_counts_it_moments_later()
    {
        var inboxId = await InboxOfAsync("ORD-PARKED-GAUGE", Guid.NewGuid());
        var forged = Enumerable.Range(0, 3).Select(n => RouterWorld.Email(inboxId, $"<forged-{n}@customer.example>") with { Unauthenticated = true }).ToList();
        await _world.RecordReceivedAsync(forged);

        var routed = 0;
        var commands = await ParkedTableCommandsRunByAsync(async () => routed = await Pump().RouteBatchAsync(CancellationToken.None));

        Assert.Equal(3, routed);
        Assert.Equal(3, (await _world.OutboxAsync<InboundMessageParked>()).Count);
        Assert.Contains(commands, c => c.Contains("insert into parked_messages", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("count(*)", StringComparison.Ordinal));
        await Eventually.Until(() => Task.FromResult(GaugeReading("ordersmail.inbound.parked")), n => n == 3, TimeSpan.FromSeconds(30), "the parked gauge to count the mail parked");
    }

    [Fact]
    public async Task When_a_row_claimed_many_times_is_given_back_Should_wait_the_longest_backoff_not_fail_on_its_size()
    {
        var inboxId = await InboxOfAsync("ORD-MANY-TRIES", Guid.NewGuid());
        var email = RouterWorld.Email(inboxId, "<many-tries@customer.example>");
        await _world.RecordReceivedAsync([email]);
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();

        // 2^199 seconds of backoff would not fit in an interval: the doubling stops well before that.
        await connection.ExecuteAsync("update inbound.received_events set route_attempts = 200");
        await _world.Router.Services.GetRequiredService<UnroutedEmails>().ReleaseAsync([$"msg_{email.EventId}"], backOff: true, ClaimAttempt.Counted, CancellationToken.None);

        Assert.InRange(await BackOffAsync(email), 200, 300);
    }

    /// <summary>
    /// Set-aside rows keep their email for a month: after an incident that set aside many, a claim reads the few rows
    /// waiting, not every set-aside one older than them (20,000 here, a thousand or two pages of the table).
    /// </summary>
    [Fact]
    public async Task When_many_older_emails_are_set_aside_Should_claim_a_waiting_one_without_reading_them()
    {
        var waiting = RouterWorld.Email("inbox_after_incident", "<waiting@customer.example>");
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("set search_path to inbound");
        await connection.ExecuteAsync(
            """
            insert into received_events (svix_id, event_id, inbox_id, event_type, received_at, email, claimed_until, route_attempts, set_aside_reason)
            select 'msg_aside_' || n, 'evt_aside_' || n, 'inbox_incident', 'message.received', now() - interval '1 day' + n * interval '1 ms',
                   @Email, 'infinity', 21, 'neither routed nor parked in 20 attempts'
            from generate_series(1, 20000) n
            """,
            new { Email = RouterWorld.Email("inbox_incident", "<aside@customer.example>").ToJson() });
        await _world.RecordReceivedAsync([waiting]);
        await connection.ExecuteAsync("analyze received_events");

        JsonNode plan;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            plan = JsonNode.Parse(await connection.ExecuteScalarAsync<string>(
                $"explain (analyze, buffers, format json) {UnroutedEmails.ClaimSql}", new { Lease = TimeSpan.FromMinutes(1), Limit = 10 }, transaction) ?? "null")![0]!["Plan"]!;
            await transaction.RollbackAsync();
        }

        var pagesRead = (long)plan["Shared Hit Blocks"]! + (long)plan["Shared Read Blocks"]!;
        Assert.True(pagesRead < 500, $"the claim touched {pagesRead} pages: {plan.ToJsonString()}");
        Assert.True(RowsScanned(plan) < 500, $"the claim scanned {RowsScanned(plan)} rows of received_events: {plan.ToJsonString()}");
        var claimed = Assert.Single(await _world.Router.Services.GetRequiredService<UnroutedEmails>().ClaimAsync(10, CancellationToken.None));
        Assert.Equal($"msg_{waiting.EventId}", claimed.SvixId);
        Assert.Equal(20_000, await connection.ExecuteScalarAsync<long>("select count(*) from received_events where claimed_until = 'infinity'"));
    }

    // The rows a plan's scans of received_events read: those they returned and those their filters passed by.
    private static double RowsScanned(JsonNode node) =>
        ((string?)node["Relation Name"] == "received_events" && ((string)node["Node Type"]!).Contains("Scan", StringComparison.Ordinal)
            ? ((double)node["Actual Rows"]! * (double)node["Actual Loops"]!) + ((double?)node["Rows Removed by Filter"] ?? 0)
            : 0)
        + (node["Plans"]?.AsArray().Sum(child => RowsScanned(child!)) ?? 0);

    private async Task SetAttemptsAsync(InboundEmailReceived email, int attempts)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("update inbound.received_events set route_attempts = @attempts where svix_id = @SvixId", new { attempts, SvixId = $"msg_{email.EventId}" });
    }

    private async Task<int> AttemptsAsync(InboundEmailReceived email)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select route_attempts from inbound.received_events where svix_id = @SvixId", new { SvixId = $"msg_{email.EventId}" });
    }

    // Seconds until the row may be claimed again.
    private async Task<double> BackOffAsync(InboundEmailReceived email)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<double>(
            "select extract(epoch from claimed_until - now()) from inbound.received_events where svix_id = @SvixId", new { SvixId = $"msg_{email.EventId}" });
    }

    private async Task MakeOldestAsync(InboundEmailReceived email)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "update inbound.received_events set received_at = now() - interval '1 minute' where svix_id = @SvixId", new { SvixId = $"msg_{email.EventId}" });
    }

    private async Task<JsonArray> SetAsideAsync() => (await _world.Client.GetFromJsonAsync<JsonArray>("/routing/set-aside"))!;

    // What the gauge reports now, of this spec's router alone (other classes' hosts share the process).
    private long GaugeReading(string name)
    {
        var meter = _world.Router.Services.GetRequiredService<ServiceTelemetry>().Meter;
        long? reading = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => reading = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return reading ?? throw new InvalidOperationException($"The router has no {name} gauge.");
    }

    // The commands on parked_messages that the work ran itself: those traced under a trace of its own (Npgsql traces
    // the commands run within a trace), whatever another spec or a background loop runs meanwhile.
    private static async Task<List<string>> ParkedTableCommandsRunByAsync(Func<Task> work)
    {
        using var source = new ActivitySource("RoutingPump_Specs");
        var counts = new ConcurrentQueue<(ActivityTraceId Trace, string Command)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" || ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                foreach (var command in a.TagObjects.Select(t => t.Value as string).OfType<string>().Where(v => v.Contains("parked_messages", StringComparison.Ordinal)))
                {
                    counts.Enqueue((a.TraceId, command));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        ActivityTraceId trace;
        using (var root = source.StartActivity("work")!)
        {
            trace = root.TraceId;
            await work();
        }

        return [.. counts.Where(c => c.Trace == trace).Select(c => c.Command)];
    }

    private async Task<string> ClaimedUntilAsync(InboundEmailReceived email)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "select claimed_until::text from inbound.received_events where svix_id = @SvixId", new { SvixId = $"msg_{email.EventId}" }) ?? "";
    }

    private RoutingPump Pump() => ActivatorUtilities.CreateInstance<RoutingPump>(_world.Router.Services);

    private static async Task<int> DrainAsync(RoutingPump pump)
    {
        var total = 0;
        int claimed;
        while ((claimed = await pump.RouteBatchAsync(CancellationToken.None)) > 0)
        {
            total += claimed;
        }

        return total;
    }

    private async Task<string> InboxOfAsync(string orderRef, Guid orderId)
    {
        var (inboxId, _, _) = await _world.ProvisionAsync(orderRef);
        await _world.KnowOrderAsync(orderRef, orderId);
        return inboxId;
    }

    private async Task ExpireClaimsAsync()
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("update inbound.received_events set claimed_until = now() - interval '1 second' where claimed_until is not null");
    }

    private async Task<long> UnroutedAsync()
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from inbound.received_events where email is not null or routed_at is null");
    }
}

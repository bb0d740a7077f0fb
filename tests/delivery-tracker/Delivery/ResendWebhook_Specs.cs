using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>Resend's webhooks, signed with the secret the sandbox issued for the tracker's endpoint, against the real tracker and database.</summary>
public sealed class ResendWebhook_Specs(TrackerFixture fixture) : IClassFixture<TrackerFixture>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-1);

    [Fact]
    public async Task When_events_arrive_shuffled_and_duplicated_Should_end_in_the_right_state_publishing_each_move_once()
    {
        var emails = new Dictionary<string, (string[] Types, string Final)>
        {
            [NewResendId()] = (["email.sent", "email.delivered"], "delivered"),
            [NewResendId()] = (["email.sent", "email.delivery_delayed", "email.delivered", "email.bounced"], "bounced"),
            [NewResendId()] = (["email.sent", "email.delivered", "email.complained"], "complained"),
            [NewResendId()] = (["email.sent", "email.delivery_delayed"], "delivery_delayed"),
        };
        var ids = new Dictionary<string, Guid>();
        foreach (var resendId in emails.Keys)
        {
            ids[resendId] = await fixture.Database.SeedEmailAsync("resend", resendId);
        }

        // Each event under its own svix-id, delivered two or three times (Svix retries keep the id), all shuffled.
        var random = new Random(4242);
        var deliveries = emails
            .SelectMany(e => e.Value.Types.Select((type, i) => (Body: ResendWebhooks.Event(type, e.Key, T0.AddSeconds(i)), SvixId: $"msg_{Guid.NewGuid():N}")))
            .SelectMany(d => Enumerable.Repeat(d, 2 + random.Next(2)))
            .OrderBy(_ => random.Next())
            .ToList();
        foreach (var (body, svixId) in deliveries)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(ResendWebhooks.Sign(body, fixture.Secret, svixId))).StatusCode);
        }

        foreach (var (resendId, (_, final)) in emails)
        {
            Assert.Equal(final, (await fixture.Database.StateOfAsync(ids[resendId])).State);
            var changes = await fixture.Database.ChangesOfAsync(ids[resendId]);
            Assert.Equal(final, Name(changes[^1].State));
            Assert.Equal(changes.Select(c => c.State).Distinct().Count(), changes.Count);
            Assert.True(changes.Zip(changes.Skip(1)).All(p => p.Second.PreviousState == p.First.State && p.Second.State > p.First.State));
        }
    }

    [Fact]
    public async Task When_a_bounce_follows_delivered_Should_bounce_with_the_reason_on_the_orders_event()
    {
        var (resendId, orderId) = (NewResendId(), Guid.NewGuid());
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId, orderId);
        var bounce = new JsonObject { ["bounce"] = new JsonObject { ["message"] = "Mailbox does not exist", ["type"] = "Permanent" } };

        await PostSignedAsync(ResendWebhooks.Event("email.delivered", resendId, T0));
        await PostSignedAsync(ResendWebhooks.Event("email.bounced", resendId, T0.AddSeconds(5), bounce));

        Assert.Equal(("bounced", 5, "Permanent: Mailbox does not exist"), await fixture.Database.StateOfAsync(emailId));
        var bounced = (await fixture.Database.ChangesOfAsync(emailId))[^1];
        Assert.Equal(
            new DeliveryStateChanged(emailId, orderId, EmailProvider.Resend, DeliveryState.Bounced, DeliveryState.Delivered, "Permanent: Mailbox does not exist", bounced.OccurredAt),
            bounced);
        Assert.Equal(T0.AddSeconds(5), bounced.OccurredAt, TimeSpan.FromMilliseconds(1));
    }

    /// <summary>
    /// A signed bounce whose reason holds a NUL, which PostgreSQL cannot store: the NUL is replaced (U+FFFD, as the
    /// outbox does) and the bounce recorded, for an email known and one whose row is not there yet; not a 500 that
    /// Svix retries until it gives up and the bounce is lost.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_a_bounce_reason_holds_a_nul_Should_record_the_bounce_with_it_replaced(bool rowExists)
    {
        var resendId = NewResendId();
        var emailId = rowExists ? await fixture.Database.SeedEmailAsync("resend", resendId) : Guid.Empty;
        var bounce = new JsonObject { ["bounce"] = new JsonObject { ["message"] = "Mailbox\u0000 does not exist", ["type"] = "Permanent" } };

        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event("email.bounced", resendId, T0, bounce))).StatusCode);

        if (!rowExists)
        {
            Assert.Equal(1, await fixture.Database.PendingOfAsync(resendId));
            emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
            await Eventually.Until(() => fixture.Database.StateOfAsync(emailId), s => s.State == "bounced", TimeSpan.FromSeconds(10), "the kept bounce to be applied");
        }

        var (state, _, detail) = await fixture.Database.StateOfAsync(emailId);
        Assert.Equal(("bounced", "Permanent: Mailbox\uFFFD does not exist"), (state, detail));
        Assert.Equal("Permanent: Mailbox\uFFFD does not exist", (await fixture.Database.ChangesOfAsync(emailId))[^1].Detail);
    }

    /// <summary>
    /// A signed bounce whose reason escapes half a surrogate pair, which no .NET string holds (a JavaScript sender cutting
    /// a message inside an emoji writes it): the bounce is recorded without that reason, not a 500 that Svix retries
    /// until it gives up and the bounce is lost.
    /// </summary>
    [Fact]
    public async Task When_a_bounce_reason_holds_half_a_surrogate_pair_Should_record_the_bounce()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        var bounce = new JsonObject { ["bounce"] = new JsonObject { ["message"] = "Mailbox full", ["type"] = "Permanent" } };
        var body = ResendWebhooks.Event("email.bounced", resendId, T0, bounce).Replace("Mailbox full", "Mailbox full \\ud83d", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(body)).StatusCode);

        var (state, _, detail) = await fixture.Database.StateOfAsync(emailId);
        Assert.Equal(("bounced", "Permanent"), (state, detail));
    }

    /// <summary>
    /// An email Resend suppressed (its address bounced before) is never sent and never bounces: the suppression is its
    /// bounce, shown on the order, not an event ignored that left it "sent" for good.
    /// </summary>
    [Fact]
    public async Task When_resend_suppresses_an_email_Should_record_it_bounced_saying_why()
    {
        var (resendId, orderId) = (NewResendId(), Guid.NewGuid());
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId, orderId);
        var suppressed = new JsonObject { ["suppressed"] = new JsonObject { ["message"] = "Recipient is on the suppression list", ["type"] = "Suppressed", ["reason"] = "previous_bounce" } };

        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event("email.suppressed", resendId, T0, suppressed))).StatusCode);

        var (state, _, detail) = await fixture.Database.StateOfAsync(emailId);
        Assert.Equal(("bounced", "Suppressed: previous_bounce: Recipient is on the suppression list"), (state, detail));
        Assert.Equal(DeliveryState.Bounced, (await fixture.Database.ChangesOfAsync(emailId))[^1].State);
    }

    /// <summary>A Resend id holding a NUL names no email of ours and cannot be looked up: refused with a problem, not a 500.</summary>
    [Fact]
    public async Task When_the_resend_id_holds_a_nul_Should_refuse_it_with_a_problem()
    {
        var response = await PostSignedAsync(ResendWebhooks.Event("email.delivered", $"{NewResendId()}\u0000", T0));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NUL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_delivered_comes_after_a_bounce_Should_stay_bounced_and_publish_nothing_more()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);

        await PostSignedAsync(ResendWebhooks.Event("email.bounced", resendId, T0.AddSeconds(5)));
        await PostSignedAsync(ResendWebhooks.Event("email.delivered", resendId, T0));
        await PostSignedAsync(ResendWebhooks.Event("email.sent", resendId, T0.AddSeconds(-1)));

        Assert.Equal("bounced", (await fixture.Database.StateOfAsync(emailId)).State);
        Assert.Equal([DeliveryState.Bounced], (await fixture.Database.ChangesOfAsync(emailId)).Select(c => c.State));
    }

    [Fact]
    public async Task When_the_event_is_faster_than_the_relays_row_Should_keep_it_and_apply_it_once_the_row_appears()
    {
        var resendId = NewResendId();

        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event("email.delivered", resendId, T0))).StatusCode);
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);

        await Eventually.Until(() => fixture.Database.StateOfAsync(emailId), s => s.State == "delivered", TimeSpan.FromSeconds(10), "the kept event to be applied");
        Assert.Equal([DeliveryState.Delivered], (await fixture.Database.ChangesOfAsync(emailId)).Select(c => c.State));
    }

    /// <summary>
    /// Resend posts the events of every email its account sends, other applications' too: one without the relay's tag,
    /// for an email the tracker has no row for, is acknowledged and not kept, or such facts would pile up for good.
    /// </summary>
    [Fact]
    public async Task When_the_event_is_about_an_email_the_relay_did_not_send_Should_acknowledge_it_and_keep_nothing()
    {
        var resendId = NewResendId();

        foreach (var type in new[] { "email.delivered", "email.bounced", "email.complained" })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event(type, resendId, T0, sentBy: null))).StatusCode);
        }

        Assert.Equal(0, await fixture.Database.PendingOfAsync(resendId));
    }

    /// <summary>
    /// Two deployments sharing one Resend account (staging and production) each receive the other's events: one tagged
    /// with the other's value (here production's, the default) is acknowledged and not kept, or every email the other
    /// sends would be kept for the retention period and looked at every second; one with this deployment's is kept.
    /// </summary>
    [Fact]
    public async Task When_the_event_carries_another_deployments_tag_Should_acknowledge_it_and_keep_nothing()
    {
        const string staging = "ordersmail-staging";
        await using var tracker = fixture.Tracker.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DeliveryTracker:Relay:SenderTag"] = staging,
        })));
        using var client = tracker.CreateClient();
        var (production, ours) = (NewResendId(), NewResendId());

        using var foreign = ResendWebhooks.Sign(ResendWebhooks.Event("email.delivered", production, T0, sentBy: RelayTag.DefaultValue), fixture.Secret);
        using var own = ResendWebhooks.Sign(ResendWebhooks.Event("email.delivered", ours, T0, sentBy: staging), fixture.Secret);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(own)).StatusCode);

        Assert.Equal((0, 1), (await fixture.Database.PendingOfAsync(production), await fixture.Database.PendingOfAsync(ours)));
    }

    /// <summary>A kept fact whose email never appeared is dropped by the retention sweep past <c>Retention:KeepFor</c> (7 days); a recent one stays.</summary>
    [Fact]
    public async Task When_a_kept_event_never_matched_within_retention_Should_drop_it_and_keep_recent_ones()
    {
        var (old, recent) = (NewResendId(), NewResendId());
        foreach (var resendId in new[] { old, recent })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event("email.delivered", resendId, T0))).StatusCode);
        }

        await fixture.Database.AgePendingAsync(old, TimeSpan.FromDays(8));
        await fixture.Tracker.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal((0, 1), (await fixture.Database.PendingOfAsync(old), await fixture.Database.PendingOfAsync(recent)));
    }

    [Fact]
    public async Task When_email_sent_is_faster_than_the_relays_row_Should_keep_nothing_as_the_relay_records_sent_itself()
    {
        var resendId = NewResendId();

        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event("email.sent", resendId, T0))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(ResendWebhooks.Event("email.delivered", resendId, T0.AddSeconds(1)))).StatusCode);

        Assert.Equal(1, await fixture.Database.PendingOfAsync(resendId));
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        await Eventually.Until(() => fixture.Database.StateOfAsync(emailId), s => s.State == "delivered", TimeSpan.FromSeconds(10), "the kept delivered to be applied");
        Assert.Equal([DeliveryState.Delivered], (await fixture.Database.ChangesOfAsync(emailId)).Select(c => c.State));
    }

    [Fact]
    public async Task When_an_event_changes_nothing_Should_record_nothing_however_often_it_comes()
    {
        var (resendId, notRecordedYet) = (NewResendId(), NewResendId());
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        var (bounce, lateDelivery, earlySent) = ($"msg_{Guid.NewGuid():N}", $"msg_{Guid.NewGuid():N}", $"msg_{Guid.NewGuid():N}");
        var bounceBody = ResendWebhooks.Event("email.bounced", resendId, T0.AddSeconds(5));

        // Each delivered twice, as Svix retries: the bounce moves the email once; a delivery after it, and "sent" for
        // an email the relay has not recorded yet (it records "sent" itself), can never move anything.
        foreach (var (body, svixId) in new[]
        {
            (bounceBody, bounce),
            (ResendWebhooks.Event("email.delivered", resendId, T0), lateDelivery),
            (ResendWebhooks.Event("email.sent", notRecordedYet, T0), earlySent),
        }.SelectMany(d => new[] { d, d }))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(ResendWebhooks.Sign(body, fixture.Secret, svixId))).StatusCode);
        }

        Assert.Equal([bounce], await fixture.Database.RecordedWebhooksAsync(bounce, lateDelivery, earlySent));
        Assert.Equal([DeliveryState.Bounced], (await fixture.Database.ChangesOfAsync(emailId)).Select(c => c.State));
        Assert.Equal(0, await fixture.Database.PendingOfAsync(notRecordedYet));
    }

    [Fact]
    public async Task When_an_event_names_an_email_of_the_other_provider_Should_not_touch_it()
    {
        var sharedId = NewResendId();
        var agentMailEmail = await fixture.Database.SeedEmailAsync("agentmail", sharedId);

        await PostSignedAsync(ResendWebhooks.Event("email.bounced", sharedId, T0));

        Assert.Equal("queued", (await fixture.Database.StateOfAsync(agentMailEmail)).State);
    }

    public static TheoryData<string> Refusals() => ["no signature", "wrong signature", "stale", "from the future", "tampered", "other endpoint's secret", "v2 only"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task When_a_webhook_is_forged_stale_tampered_or_signed_with_another_secret_Should_answer_401_and_change_nothing(string refusal)
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        var body = ResendWebhooks.Event("email.bounced", resendId, T0);
        var svixId = $"msg_{Guid.NewGuid():N}";
        var valid = ResendWebhooks.Sign(body, fixture.Secret, svixId);
        var signature = valid.Headers.GetValues("svix-signature").Single();
        // Stale and future by a minute past the tolerance, not one second: the request reaches the server a moment
        // after it is signed. The exact edge is proven on a pinned clock in tests/building-blocks/Webhooks.
        var now = DateTimeOffset.UtcNow;
        var request = refusal switch
        {
            "no signature" => ResendWebhooks.Request(body, svixId, Seconds(now), ""),
            "wrong signature" => ResendWebhooks.Request(body, svixId, Seconds(now), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
            "stale" => ResendWebhooks.Sign(body, fixture.Secret, svixId, now.AddSeconds(-360)),
            "from the future" => ResendWebhooks.Sign(body, fixture.Secret, svixId, now.AddSeconds(360)),
            "tampered" => ResendWebhooks.Request(body.Replace("email.bounced", "email.sent", StringComparison.Ordinal), svixId, valid.Headers.GetValues("svix-timestamp").Single(), signature),
            "other endpoint's secret" => ResendWebhooks.Sign(body, fixture.OtherSecret, svixId),
            _ => ResendWebhooks.Request(body, svixId, valid.Headers.GetValues("svix-timestamp").Single(), signature.Replace("v1,", "v2,", StringComparison.Ordinal)),
        };

        var response = await PostAsync(request);

        var detail = await ProblemAnswer.DetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(refusal switch
        {
            "no signature" => "svix-signature headers are required",
            "stale" => "more than 5 minutes in the past",
            "from the future" => "more than 5 minutes in the future",
            _ => "No v1 entry of svix-signature signs this",
        }, detail, StringComparison.Ordinal);
        Assert.Equal("queued", (await fixture.Database.StateOfAsync(emailId)).State);
        Assert.Empty(await fixture.Database.ChangesOfAsync(emailId));

        // The genuine delivery of the same svix-id still goes through: a refused one recorded nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(ResendWebhooks.Sign(body, fixture.Secret, svixId))).StatusCode);
        Assert.Equal("bounced", (await fixture.Database.StateOfAsync(emailId)).State);
    }

    [Fact]
    public async Task When_the_signed_event_type_is_unknown_Should_answer_400_and_change_nothing()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        var pendingBefore = await fixture.Database.CountAsync("pending_delivery_events");

        var response = await PostSignedAsync(ResendWebhooks.Event("email.teleported", resendId, T0));

        Assert.Contains("email.teleported", await ProblemAnswer.DetailAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal("queued", (await fixture.Database.StateOfAsync(emailId)).State);
        Assert.Equal(pendingBefore, await fixture.Database.CountAsync("pending_delivery_events"));
    }

    [Fact]
    public async Task When_the_body_is_over_256_KiB_Should_answer_413_and_change_nothing()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        var padding = new JsonObject { ["padding"] = new string('a', 256 * 1024) };

        var response = await PostSignedAsync(ResendWebhooks.Event("email.bounced", resendId, T0, padding));

        Assert.Contains("over the limit of 262144 bytes", await ProblemAnswer.DetailAsync(response, HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);
        Assert.Equal("queued", (await fixture.Database.StateOfAsync(emailId)).State);
    }

    [Fact]
    public async Task When_a_correctly_signed_body_is_not_declared_json_Should_answer_415_and_change_nothing()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);
        var request = ResendWebhooks.Sign(ResendWebhooks.Event("email.bounced", resendId, T0), fixture.Secret);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        var response = await PostAsync(request);

        Assert.Contains("application/json", await ProblemAnswer.DetailAsync(response, HttpStatusCode.UnsupportedMediaType), StringComparison.Ordinal);
        Assert.Equal("queued", (await fixture.Database.StateOfAsync(emailId)).State);
        Assert.Empty(await fixture.Database.ChangesOfAsync(emailId));
    }

    [Fact]
    public async Task When_an_event_says_nothing_about_delivery_Should_acknowledge_it_and_change_nothing()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId);

        var response = await PostSignedAsync(ResendWebhooks.Event("email.opened", resendId, T0));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("queued", (await fixture.Database.StateOfAsync(emailId)).State);
    }

    /// <summary>
    /// An endpoint subscribed to everything in Resend's dashboard also receives contact, domain, suppression and topic
    /// events, with no email in them: refused, Svix would retry each for a day with a warning every time.
    /// </summary>
    [Theory]
    [InlineData("contact.created", """{"id":"e169aa45-1ecf-4183-9955-b1499d5701d3","audience_id":"78261eea-8f8b-4381-83c6-79fa7120f1cf","email":"jane@example.com","unsubscribed":false,"created_at":"2026-09-01T10:00:00.000Z"}""")]
    [InlineData("domain.updated", """{"id":"d91cd9bd-1176-453e-8fc1-35364d380206","name":"ordersmail.example","status":"verified","region":"us-east-1","created_at":"2026-09-01T10:00:00.000Z"}""")]
    [InlineData("suppression.added", """{"email":"jane@example.com","reason":"previous_bounce","created_at":"2026-09-01T10:00:00.000Z"}""")]
    [InlineData("topic.deleted", """{"id":"b6d24b8e-af0b-4c3c-be0c-359bbd97381e","name":"Order news","created_at":"2026-09-01T10:00:00.000Z"}""")]
    public async Task When_an_event_of_another_documented_kind_comes_Should_acknowledge_it_and_write_nothing(string type, string data)
    {
        var deliveriesBefore = await fixture.Database.CountAsync("resend_webhook_deliveries");
        var pendingBefore = await fixture.Database.CountAsync("pending_delivery_events");

        var response = await PostSignedAsync($$"""{"type":"{{type}}","created_at":"2026-09-01T10:00:01.000Z","data":{{data}}}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(deliveriesBefore, await fixture.Database.CountAsync("resend_webhook_deliveries"));
        Assert.Equal(pendingBefore, await fixture.Database.CountAsync("pending_delivery_events"));
    }

    private static string NewResendId() => Guid.NewGuid().ToString();

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Name(DeliveryState state) => DeliveryStates.Name(state);

    private Task<HttpResponseMessage> PostSignedAsync(string body) => PostAsync(ResendWebhooks.Sign(body, fixture.Secret));

    private async Task<HttpResponseMessage> PostAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await fixture.Client.SendAsync(request);
        }
    }
}

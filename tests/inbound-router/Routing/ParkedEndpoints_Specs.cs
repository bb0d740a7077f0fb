using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>What ops (and anyone else) get for a request to the parked messages or set-aside emails that cannot be answered: a problem saying what is wrong.</summary>
public sealed class ParkedEndpoints_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task When_the_limit_is_not_a_whole_number_from_1_to_500_Should_answer_400_saying_so(string limit)
    {
        Assert.Contains("from 1 to 500", await RefusedAsync($"/routing/parked?limit={Uri.EscapeDataString(limit)}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_ops_key_is_missing_Should_answer_401_and_show_no_parked_mail()
    {
        using var stranger = _world.Router.CreateClient();

        var list = await stranger.GetAsync("/routing/parked");
        var route = await stranger.PostAsync($"/routing/parked/{Guid.NewGuid()}/route", null);
        var dismiss = await stranger.PostAsync($"/routing/parked/{Guid.NewGuid()}/dismiss", null);
        var setAside = await stranger.GetAsync("/routing/set-aside");
        var retry = await stranger.PostAsync("/routing/set-aside/msg_any/retry", null);
        var dismissSetAside = await stranger.PostAsync("/routing/set-aside/msg_any/dismiss", null);

        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(list, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(route, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(dismiss, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(setAside, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(retry, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains("ops key", await ProblemAnswer.DetailAsync(dismissSetAside, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("501")]
    public async Task When_the_set_aside_lists_limit_is_not_a_whole_number_from_1_to_500_Should_answer_400_saying_so(string limit)
    {
        Assert.Contains("from 1 to 500", await RefusedAsync($"/routing/set-aside?limit={Uri.EscapeDataString(limit)}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_limit_is_in_range_Should_list()
    {
        var answer = await _world.Client.GetAsync("/routing/parked?limit=500");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("[]", await answer.Content.ReadAsStringAsync());
    }

    // The list was the oldest 500 at most, with no way on: parked mail that can never be routed (unauthenticated mail
    // stays parked at every re-route) filled it for good and hid from ops what was parked since.
    [Fact]
    public async Task When_more_is_parked_than_a_page_holds_Should_page_on_after_the_last_message_listed_to_the_newest()
    {
        // Parked a day ago and each minute since, two in the same instant; the fourth routed again since.
        var at = DateTime.UtcNow.AddDays(-1);
        var parked = new[] { ("a", at, false), ("c", at.AddMinutes(1), false), ("b", at.AddMinutes(1), false), ("d", at.AddMinutes(2), true), ("e", at.AddMinutes(3), false) }
            .Select(p => (Id: Guid.Parse($"{p.Item1}{Guid.NewGuid():N}"[..32]), ParkedAt: p.Item2, Routed: p.Item3))
            .ToList();
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            foreach (var (id, parkedAt, routed) in parked)
            {
                await connection.ExecuteAsync(
                    """
                    insert into inbound.parked_messages (id, inbox_id, message_id, reason, email, parked_at, routed_at)
                    values (@Id, 'inbox@x', @MessageId, 'parked', @Email::jsonb, @ParkedAt, case when @Routed then now() end)
                    """,
                    new { Id = id, MessageId = $"<{id}@x>", Email = RouterWorld.Email("inbox@x", $"<{id}@x>").ToJson(), ParkedAt = parkedAt, Routed = routed });
            }
        }

        var first = await PageAsync("?limit=2");
        var second = await PageAsync($"?limit=2&after={first[^1]}");
        var end = await PageAsync($"?limit=2&after={second[^1]}");

        // Oldest first, the same instant's by id, the message routed again left out.
        Assert.Equal([parked[0].Id, parked[2].Id], first);
        Assert.Equal([parked[1].Id, parked[4].Id], second);
        Assert.Empty(end);
        Assert.Equal([parked[4].Id], await PageAsync($"?after={parked[3].Id}"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("3f2c0e5e-0000-4000-8000-000000000000")]
    public async Task When_after_is_not_the_id_of_a_message_ever_parked_Should_answer_400_saying_what_it_is(string after)
    {
        Assert.Contains("the last message of a page", await RefusedAsync($"/routing/parked?after={Uri.EscapeDataString(after)}"), StringComparison.Ordinal);
    }

    // The set-aside list was the oldest 500 at most, with no way on: an event that still cannot be read stays set aside
    // at every retry, and retention never sweeps it, so 500 of them hid from ops whatever was set aside since.
    [Fact]
    public async Task When_more_is_set_aside_than_a_page_holds_Should_page_on_after_the_last_one_listed_to_the_newest()
    {
        // Set aside a day ago and each minute since, two in the same instant; the fourth given back since.
        var at = DateTime.UtcNow.AddDays(-1);
        var events = new[] { ("msg_a", at, true), ("msg_c", at.AddMinutes(1), true), ("msg_b", at.AddMinutes(1), true), ("msg_d", at.AddMinutes(2), false), ("msg_e", at.AddMinutes(3), true) };
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            foreach (var (svixId, receivedAt, setAside) in events)
            {
                await connection.ExecuteAsync(
                    """
                    insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, received_at, claimed_until, set_aside_reason, unreadable_event)
                    values (@SvixId, @SvixId, 'inbox@x', 'message.received', @ReceivedAt, case when @SetAside then 'infinity'::timestamptz end,
                            case when @SetAside then 'message.from is missing' end, case when @SetAside then '{}' end)
                    """,
                    new { SvixId = svixId, ReceivedAt = receivedAt, SetAside = setAside });
            }
        }

        var first = await SetAsidePageAsync("?limit=2");
        var second = await SetAsidePageAsync($"?limit=2&after={first[^1]}");
        var end = await SetAsidePageAsync($"?limit=2&after={second[^1]}");

        // Oldest first, the same instant's by svix-id, the one given back left out.
        Assert.Equal(["msg_a", "msg_b"], first);
        Assert.Equal(["msg_c", "msg_e"], second);
        Assert.Empty(end);
        Assert.Equal(["msg_e"], await SetAsidePageAsync("?after=msg_d"));
    }

    [Fact]
    public async Task When_after_is_not_the_svix_id_of_a_recorded_event_Should_answer_400_saying_what_it_is() =>
        Assert.Contains("the last one of a page", await RefusedAsync("/routing/set-aside?after=msg_never_received"), StringComparison.Ordinal);

    [Fact]
    public async Task When_after_is_longer_than_any_svix_id_Should_answer_400_saying_so() =>
        Assert.Contains("longer than 256 bytes", await RefusedAsync($"/routing/set-aside?after={new string('m', 257)}"), StringComparison.Ordinal);

    /// <summary>
    /// ASP.NET decodes an escape that is not UTF-8 (a lone surrogate's too) to the escape's own text, which was looked up
    /// as if sent ("no event %FF"); a NUL, which PostgreSQL refuses in text, was a 500 once.
    /// </summary>
    [Theory]
    [InlineData("/routing/set-aside", "%FF", "must be valid UTF-8")]
    [InlineData("/routing/set-aside", "msg_%ED%A0%80", "must be valid UTF-8")]
    [InlineData("/routing/set-aside", "msg_%00", "must not contain the NUL character")]
    [InlineData("/routing/parked", "%FF", "must be valid UTF-8")]
    [InlineData("/routing/parked", "%ED%A0%80", "must be valid UTF-8")]
    [InlineData("/routing/parked", "%00", "must not contain the NUL character")]
    public async Task When_after_is_not_text_Should_answer_400_saying_so(string list, string after, string saying) =>
        Assert.Contains($"after {saying}", await RefusedAsync($"{list}?after={after}"), StringComparison.Ordinal);

    [Theory]
    [InlineData("not-an-id", "route")]
    [InlineData("12345", "route")]
    [InlineData("not-an-id", "dismiss")]
    public async Task When_the_id_is_not_a_uuid_Should_answer_400_saying_what_an_id_is(string id, string action)
    {
        var answer = await _world.Client.PostAsync($"/routing/parked/{id}/{action}", null);

        Assert.Contains("UUID", await ProblemAnswer.DetailAsync(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    // The re-route reads the inbox's order reference from AgentMail: its outage, its refusal and an answer that is not its
    // API's were each a bare 500.
    [Theory]
    [InlineData("""{"api":"agentmail","operation":"inboxes.get","error_status":503}""", HttpStatusCode.ServiceUnavailable, "AgentMail is unavailable")]
    [InlineData("""{"api":"agentmail","operation":"inboxes.get","error_status":403}""", HttpStatusCode.BadGateway, "AgentMail refused")]
    [InlineData("""{"api":"agentmail","operation":"inboxes.get","malformed_answer":true}""", HttpStatusCode.BadGateway, "not as documented")]
    public async Task When_AgentMail_cannot_answer_the_reroute_Should_answer_a_problem_saying_so_and_keep_the_message_parked(string fault, HttpStatusCode status, string saying)
    {
        var (inboxId, _, _) = await _world.ProvisionAsync("ORD-REROUTE-DOWN");
        var id = Guid.NewGuid();
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into inbound.parked_messages (id, inbox_id, message_id, reason, email) values (@Id, @InboxId, '<down@x>', 'parked', @Email::jsonb)",
                new { Id = id, InboxId = inboxId, Email = RouterWorld.Email(inboxId, "<down@x>").ToJson() });
        }

        await _world.FaultAsync(JsonDocument.Parse(fault).RootElement);

        var answer = await _world.Client.PostAsync($"/routing/parked/{id}/route", null);

        Assert.Contains(saying, await ProblemAnswer.DetailAsync(answer, status), StringComparison.Ordinal);
        var parked = Assert.Single((await _world.Client.GetFromJsonAsync<JsonElement>("/routing/parked")).EnumerateArray());
        Assert.Equal(id, parked.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task When_no_message_with_the_id_is_parked_Should_answer_404_saying_so()
    {
        var id = Guid.NewGuid();

        var answer = await _world.Client.PostAsync($"/routing/parked/{id}/route", null);

        Assert.Contains($"No message {id} is parked", await ProblemAnswer.DetailAsync(answer, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    // Parked mail stayed parked for good, each with its whole email: unauthenticated mail stays parked at every re-route,
    // and there was no way for ops to say they had dealt with it.
    [Fact]
    public async Task When_ops_dismiss_a_parked_message_Should_leave_it_out_of_the_list_clear_its_email_and_answer_the_same_again()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await ParkAsync(first, DateTime.UtcNow.AddMinutes(-2));
        await ParkAsync(second, DateTime.UtcNow.AddMinutes(-1));

        var dismissed = await _world.Client.PostAsync($"/routing/parked/{first}/dismiss", null);
        var again = await _world.Client.PostAsync($"/routing/parked/{first}/dismiss", null);

        Assert.Equal(HttpStatusCode.NoContent, dismissed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal([second], await PageAsync(""));
        Assert.Equal([second], await PageAsync($"?after={first}"));
        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        Assert.Null(await check.ExecuteScalarAsync<string?>("select email::text from inbound.parked_messages where id = @Id", new { Id = first }));

        // Kept and dismissed, not unknown: a 404 here told ops nothing they could act on (ParkedReroute specs below).
        var reroute = await _world.Client.PostAsync($"/routing/parked/{first}/route", null);
        Assert.Contains($"Message {first} was dismissed", await ProblemAnswer.DetailAsync(reroute, HttpStatusCode.Conflict), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_message_to_dismiss_is_unknown_or_routed_since_Should_answer_404_or_409_saying_so()
    {
        var routed = Guid.NewGuid();
        await ParkAsync(routed, DateTime.UtcNow);
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update inbound.parked_messages set routed_at = now(), order_id = @OrderId where id = @Id", new { Id = routed, OrderId = Guid.NewGuid() });
        }

        var unknown = Guid.NewGuid();
        var missing = await _world.Client.PostAsync($"/routing/parked/{unknown}/dismiss", null);
        var done = await _world.Client.PostAsync($"/routing/parked/{routed}/dismiss", null);

        Assert.Contains($"No message {unknown} is kept", await ProblemAnswer.DetailAsync(missing, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("was routed to an order", await ProblemAnswer.DetailAsync(done, HttpStatusCode.Conflict), StringComparison.Ordinal);
    }

    // A set-aside event that still cannot be read stayed set aside for good, its body with it: nothing let ops say they
    // had dealt with it.
    [Fact]
    public async Task When_ops_dismiss_a_set_aside_event_Should_leave_it_out_of_the_list_clear_its_body_and_answer_the_same_again()
    {
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, claimed_until, set_aside_reason, unreadable_event)
                values ('msg_dismissed', 'evt_dismissed', 'inbox@x', 'message.received', 'infinity', 'message.from is missing', '{}')
                """);
        }

        var dismissed = await _world.Client.PostAsync("/routing/set-aside/msg_dismissed/dismiss", null);
        var again = await _world.Client.PostAsync("/routing/set-aside/msg_dismissed/dismiss", null);
        var unknown = await _world.Client.PostAsync("/routing/set-aside/msg_never_received/dismiss", null);

        Assert.Equal(HttpStatusCode.NoContent, dismissed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Contains("Nothing is set aside", await ProblemAnswer.DetailAsync(unknown, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Empty(await SetAsidePageAsync(""));
        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        Assert.Null(await check.ExecuteScalarAsync<string?>("select coalesce(unreadable_event, email, claimed_until::text) from inbound.received_events where svix_id = 'msg_dismissed'"));
        var retry = await _world.Client.PostAsync("/routing/set-aside/msg_dismissed/retry", null);
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
    }

    // Ops could not correct where a parked email goes: the route decided by the routing rules alone, so mail about an older
    // order than the inbox's stamp (a genuine email parked as spam, mail received before the customer's current order) went
    // to the stamp's order, or stayed parked when the router knew no order of then, and the body naming the order was ignored.
    [Fact]
    public async Task When_ops_name_an_order_of_the_emails_customer_Should_route_it_there_as_ops_whatever_the_rules_pick()
    {
        var (olderId, inboxId) = await CustomerWithTwoOrdersAsync("ORD-NAMED", "user_named");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<named@x>"));
        var unauthenticated = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<forged@x>") with { Unauthenticated = true });

        using var answer = await RouteToAsync(parkedId, """{"order_ref": "ORD-NAMED-OLD"}""");
        using var forged = await RouteToAsync(unauthenticated, """{"order_ref": "ORD-NAMED-OLD"}""");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(olderId, (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order_id").GetGuid());
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal(
            ("<named@x>", olderId, "ops", "ORD-NAMED-OLD"),
            (routed.GetProperty("messageId").GetString(), routed.GetProperty("orderId").GetGuid(), routed.GetProperty("routedBy").GetString(), routed.GetProperty("orderRef").GetString()));

        // Its sender may be forged, whoever names whichever order.
        Assert.Equal(HttpStatusCode.Conflict, forged.StatusCode);
        Assert.Equal(RoutingDecision.UnauthenticatedReason, (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal([unauthenticated], await PageAsync(""));
    }

    // Mail received before the customer's current order, whose order of then the router learnt before it kept placing
    // times (migration 0170), is parked: its reason told ops to answer from AgentMail and dismiss it, though they can now
    // route it to the order it is about.
    [Fact]
    public async Task When_mail_is_parked_for_want_of_an_order_of_when_it_was_received_Should_say_ops_can_route_it_to_the_order_they_name()
    {
        var (olderId, newerId) = (Guid.NewGuid(), Guid.NewGuid());
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-THEN-NEW");
        var email = RouterWorld.Email(inboxId, "<then@x>");
        await _world.PublishAsync(new InboxReady(olderId, "ORD-THEN-OLD", "user_then", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow.AddDays(-10)));
        await _world.PublishAsync(new OrderCreated(newerId, "ORD-THEN-NEW", "user_then", "jane@acme.example", null, email.ReceivedAt.AddHours(2)));
        await _world.PublishAsync(new InboxReady(newerId, "ORD-THEN-NEW", "user_then", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await Eventually.Until(
            async () => (await OrderIdAsync("ORD-THEN-OLD"), await PlacedAtAsync("ORD-THEN-NEW"), await OwnerAsync(inboxId)),
            known => known is ({ }, { }, "user_then"),
            TimeSpan.FromSeconds(30),
            "both orders, the newer one's placing time and the inbox's customer to be learnt");
        var parkedId = await ParkInAsync(inboxId, email);

        using var byRules = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);
        using var named = await RouteToAsync(parkedId, """{"order_ref": "ORD-THEN-OLD"}""");

        Assert.Equal(HttpStatusCode.Conflict, byRules.StatusCode);
        Assert.Contains(
            """route it to the customer's order it is about (POST /routing/parked/{id}/route with {"order_ref": "..."})""",
            (await byRules.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal((olderId, "ops"), (routed.GetProperty("orderId").GetGuid(), routed.GetProperty("routedBy").GetString()));
    }

    // The cross-tenant rule of a reply naming another customer's mail: naming an order must not put one customer's email in
    // a stranger's order, whoever names it.
    [Fact]
    public async Task When_ops_name_another_customers_order_or_one_the_router_does_not_know_Should_refuse_422_and_route_nothing()
    {
        var (_, inboxId) = await CustomerWithTwoOrdersAsync("ORD-MINE", "user_mine");
        await CustomerWithTwoOrdersAsync("ORD-THEIRS", "user_theirs");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<mine@x>"));

        using var another = await RouteToAsync(parkedId, """{"order_ref": "ORD-THEIRS-OLD"}""");
        using var unknown = await RouteToAsync(parkedId, """{"order_ref": "ORD-NEVER-PLACED"}""");

        Assert.Contains("not an order of the customer whose inbox received", await ProblemAnswer.DetailAsync(another, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Contains("knows no order ORD-NEVER-PLACED", await ProblemAnswer.DetailAsync(unknown, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal([parkedId], await PageAsync(""));
        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        Assert.True(await check.ExecuteScalarAsync<bool>("select routed_at is null and order_id is null from inbound.parked_messages where id = @Id", new { Id = parkedId }));
    }

    // A route asked again answered 404 "routed already, dismissed, or never parked": an ops client that timed out after the
    // commit, or a colleague routing the same message at once, could not tell where the mail went from mail lost.
    [Fact]
    public async Task When_a_route_is_asked_again_Should_answer_200_with_the_order_it_went_to_and_route_it_once()
    {
        var (olderId, inboxId) = await CustomerWithTwoOrdersAsync("ORD-AGAIN", "user_again");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<again@x>"));

        using var first = await RouteToAsync(parkedId, """{"order_ref": "ORD-AGAIN-OLD"}""");
        using var again = await RouteToAsync(parkedId, """{"order_ref": "ORD-AGAIN-OLD"}""");
        using var withoutBody = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);

        var routed = await RoutedAsync(first);
        Assert.Equal(olderId, routed.GetProperty("order_id").GetGuid());
        Assert.Equal(routed.GetRawText(), (await RoutedAsync(again)).GetRawText());
        Assert.Equal(routed.GetRawText(), (await RoutedAsync(withoutBody)).GetRawText());
        Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
    }

    [Fact]
    public async Task When_two_route_the_same_message_at_once_Should_answer_both_200_with_the_one_order_it_went_to()
    {
        var (olderId, inboxId) = await CustomerWithTwoOrdersAsync("ORD-RACE", "user_race");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<race@x>"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => RouteToAsync(parkedId, """{"order_ref": "ORD-RACE-OLD"}""")));

        foreach (var answer in answers)
        {
            using (answer)
            {
                Assert.Equal(olderId, (await RoutedAsync(answer)).GetProperty("order_id").GetGuid());
            }
        }

        Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
    }

    [Fact]
    public async Task When_a_route_names_another_order_than_the_message_went_to_Should_answer_409_naming_the_order_it_went_to()
    {
        var (olderId, inboxId) = await CustomerWithTwoOrdersAsync("ORD-OTHER", "user_other");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<other@x>"));
        using var first = await RouteToAsync(parkedId, """{"order_ref": "ORD-OTHER-OLD"}""");
        await RoutedAsync(first);

        using var another = await RouteToAsync(parkedId, """{"order_ref": "ORD-OTHER-NEW"}""");

        Assert.Contains(
            $"Message {parkedId} was routed to order ORD-OTHER-OLD already, not to ORD-OTHER-NEW",
            await ProblemAnswer.DetailAsync(another, HttpStatusCode.Conflict),
            StringComparison.Ordinal);
        var problem = await another.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ("Routed to another order", olderId, "ORD-OTHER-OLD"),
            (problem.GetProperty("title").GetString(), problem.GetProperty("order_id").GetGuid(), problem.GetProperty("order_ref").GetString()));
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal(olderId, routed.GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task When_a_dismissed_message_is_routed_Should_answer_409_dismissed_with_or_without_an_order_named()
    {
        var (_, inboxId) = await CustomerWithTwoOrdersAsync("ORD-GONE", "user_gone");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<gone@x>"));
        using var dismissed = await _world.Client.PostAsync($"/routing/parked/{parkedId}/dismiss", null);
        Assert.Equal(HttpStatusCode.NoContent, dismissed.StatusCode);

        using var byRules = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);
        using var named = await RouteToAsync(parkedId, """{"order_ref": "ORD-GONE-OLD"}""");

        foreach (var answer in new[] { byRules, named })
        {
            Assert.Contains($"Message {parkedId} was dismissed", await ProblemAnswer.DetailAsync(answer, HttpStatusCode.Conflict), StringComparison.Ordinal);
            Assert.Equal("Dismissed", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());
    }

    [Fact]
    public async Task Should_describe_both_bodies_of_the_routes_409_in_the_openapi_document()
    {
        var document = await _world.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var conflict = document.GetProperty("paths").GetProperty("/routing/parked/{id}/route").GetProperty("post").GetProperty("responses").GetProperty("409").GetProperty("content");

        Assert.Equal(
            ["application/json", "application/problem+json"],
            conflict.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_no_body_names_an_order_Should_route_by_the_routing_rules_as_before()
    {
        var (_, inboxId) = await CustomerWithTwoOrdersAsync("ORD-RULES", "user_rules");
        var parkedId = await ParkInAsync(inboxId, RouterWorld.Email(inboxId, "<rules@x>"));

        using var answer = await _world.Client.PostAsync($"/routing/parked/{parkedId}/route", null);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal(RoutingDecision.ByInboxOrderRef, routed.GetProperty("routedBy").GetString());
        Assert.Equal(await OrderIdAsync("ORD-RULES-NEW"), routed.GetProperty("orderId").GetGuid());
    }

    // A body that does not name one order was read as no body at all, and the message routed by the rules.
    [Fact]
    public async Task When_the_body_is_not_an_object_naming_one_order_Should_answer_400_or_413_saying_so_and_route_nothing()
    {
        var parkedId = Guid.NewGuid();
        await ParkAsync(parkedId, DateTime.UtcNow);
        string[] bad =
        [
            "not json",
            "null",
            "[]",
            "{}",
            """{"order_ref": 5}""",
            """{"order_ref": null}""",
            """{"order_ref": " "}""",
            """{"order_id": "3f2c0e5e-0000-4000-8000-000000000000"}""",
            """{"order_ref": "ORD-A", "extra": true}""",
            """{"order_ref": "ORD-A", "order_ref": "ORD-B"}""",
            """{"order_ref": "ORD-\u0000"}""",
            """{"order_ref": "ORD-\ud800"}""",
            new string('[', 2_000) + new string(']', 2_000),
        ];

        foreach (var body in bad)
        {
            using var answer = await RouteToAsync(parkedId, body);
            Assert.Contains("The body is {\"order_ref\"", await ProblemAnswer.DetailAsync(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        using var huge = await RouteToAsync(parkedId, $$"""{"order_ref": "{{new string('x', 5_000)}}"}""");
        Assert.Contains("over the limit", await ProblemAnswer.DetailAsync(huge, HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal([parkedId], await PageAsync(""));
    }

    // A customer as the router learns one: an inbox stamped with their newer order (InboxReady, which says whose the inbox
    // is) and an older order (OrderCreated); the older order's id and the inbox.
    private async Task<(Guid OlderId, string InboxId)> CustomerWithTwoOrdersAsync(string prefix, string userId)
    {
        var olderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionAsync($"{prefix}-NEW");
        var owners = await _world.CountAsync("inbox_owners");
        await _world.PublishAsync(new OrderCreated(olderId, $"{prefix}-OLD", userId, "jane@acme.example", null, DateTimeOffset.UtcNow.AddDays(-10)));
        await _world.PublishAsync(new InboxReady(Guid.NewGuid(), $"{prefix}-NEW", userId, inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await Eventually.Until(() => _world.CountAsync("inbox_owners"), n => n == owners + 1, TimeSpan.FromSeconds(30), "the inbox's customer to be learnt");
        await Eventually.Until(() => OrderIdAsync($"{prefix}-OLD"), id => id == olderId, TimeSpan.FromSeconds(30), "the older order to be learnt");
        return (olderId, inboxId);
    }

    private async Task<Guid?> OrderIdAsync(string orderRef)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid?>("select order_id from inbound.order_refs where order_ref = @OrderRef", new { OrderRef = orderRef });
    }

    private async Task<DateTime?> PlacedAtAsync(string orderRef)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<DateTime?>("select placed_at from inbound.order_refs where order_ref = @OrderRef", new { OrderRef = orderRef });
    }

    private async Task<string?> OwnerAsync(string inboxId)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("select user_id from inbound.inbox_owners where inbox_id = @InboxId", new { InboxId = inboxId });
    }

    private async Task<Guid> ParkInAsync(string inboxId, InboundEmailReceived email)
    {
        var id = Guid.NewGuid();
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into inbound.parked_messages (id, inbox_id, message_id, reason, email) values (@Id, @InboxId, @MessageId, 'parked', @Email::jsonb)",
            new { Id = id, InboxId = inboxId, email.MessageId, Email = email.ToJson() });
        return id;
    }

    // The body of a 200 of the route: a message routed.
    private static async Task<JsonElement> RoutedAsync(HttpResponseMessage answer)
    {
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("routed", body.GetProperty("outcome").GetString());
        return body;
    }

    private Task<HttpResponseMessage> RouteToAsync(Guid parkedId, string body) =>
        _world.Client.PostAsync($"/routing/parked/{parkedId}/route", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task ParkAsync(Guid id, DateTime parkedAt)
    {
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into inbound.parked_messages (id, inbox_id, message_id, reason, email, parked_at) values (@Id, 'inbox@x', @MessageId, 'parked', @Email::jsonb, @ParkedAt)",
            new { Id = id, MessageId = $"<{id}@x>", Email = RouterWorld.Email("inbox@x", $"<{id}@x>").ToJson(), ParkedAt = parkedAt });
    }

    // The detail of the 400 problem a list answers.
    private async Task<string> RefusedAsync(string pathAndQuery) =>
        await ProblemAnswer.DetailAsync(await _world.Client.GetAsync(pathAndQuery), HttpStatusCode.BadRequest);

    private async Task<List<string>> SetAsidePageAsync(string query) =>
        [.. (await _world.Client.GetFromJsonAsync<JsonElement>($"/routing/set-aside{query}")).EnumerateArray().Select(e => e.GetProperty("svix_id").GetString()!)];

    private async Task<List<Guid>> PageAsync(string query) =>
        [.. (await _world.Client.GetFromJsonAsync<JsonElement>($"/routing/parked{query}")).EnumerateArray().Select(m => m.GetProperty("id").GetGuid())];
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.OrdersApi.Timeline;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary><c>GET /api/orders/{id}/timeline</c>: everything orders-api knows about an order, for its owner only.</summary>
public sealed class OrderTimeline_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    // What a message adds to the answer besides its text, at most: its id, sender, subject, times, its agent reply, and
    // its entries in the timeline. Its preview counts here too.
    private const int EnvelopeBytes = 1_200;

    [Fact]
    public async Task Should_show_the_owner_every_step_of_the_order()
    {
        var (owner, played) = await PlayAsync();
        using (owner)
        {
            var view = await TimelineAsync(owner, played.OrderId);

            var order = view.GetProperty("order");
            Assert.Equal(played.OrderRef, order.GetProperty("order_ref").GetString());
            Assert.Equal(played.ReplyAddress, order.GetProperty("reply_address").GetString());
            Assert.Equal(39m, order.GetProperty("total").GetDecimal());
            Assert.Equal(["MUG-1", "TEE-2"], order.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sku").GetString()));

            var timeline = view.GetProperty("timeline").EnumerateArray()
                .Select(e => (Kind: e.GetProperty("kind").GetString()!, Title: e.GetProperty("title").GetString()!, Detail: e.TryGetProperty("detail", out var d) ? d.GetString() : null, Tone: e.GetProperty("tone").GetString()!))
                .ToList();
            Assert.Equal("order_placed", timeline[0].Kind);
            Assert.Contains(timeline, e => e is { Kind: "inbox", Tone: "good" } && e.Detail!.Contains(played.ReplyAddress, StringComparison.Ordinal));
            Assert.Contains(timeline, e => e.Kind == "confirmation" && e.Detail == $"Reply-To {played.ReplyAddress}");
            Assert.Contains(timeline, e => e is { Kind: "email_queued", Title: "Email queued: order confirmation via resend" });
            Assert.Contains(timeline, e => e is { Kind: "email_state", Title: "Email delivered: order confirmation via resend", Tone: "good" });
            Assert.Contains(timeline, e => e is { Kind: "email_state", Title: "Email delivered: agent reply via agentmail", Tone: "good" });
            Assert.Contains(timeline, e => e is { Kind: "email_state", Title: "Email bounced: receipt via resend", Tone: "problem", Detail: TimelineScenario.BounceReason });
            Assert.Contains(timeline, e => e is { Kind: "message_in", Tone: "info", Detail: "Where is my order?" });
            Assert.Contains(timeline, e => e is { Kind: "message_in", Tone: "warning", Detail: TimelineScenario.ScriptSubject });
            Assert.Contains(timeline, e => e is { Kind: "agent_reply", Detail: "email delivered" } && e.Title.Contains("where is my order", StringComparison.Ordinal));
            Assert.Equal(
                new (string, string?, string)[]
                {
                    ($"Message sent from {TimelineScenario.Isolated("inbox_jane")}", "Re: Where is my order?", "info"),
                    ($"Reply written to the outbox, not yet sent from {TimelineScenario.Isolated("inbox_jane")}", $"Re: {TimelineScenario.ScriptSubject}", "info"),
                },
                timeline.Where(e => e.Kind == "message_out").Select(e => (e.Title, e.Detail, e.Tone)));
            var times = view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("at")).Where(a => a.ValueKind != JsonValueKind.Null).Select(a => a.GetDateTimeOffset()).ToList();
            Assert.Equal(times.Order(), times);
        }
    }

    [Fact]
    public async Task Should_show_the_conversation_with_the_agents_replies_and_the_labels()
    {
        var (owner, played) = await PlayAsync();
        using (owner)
        {
            var conversation = (await TimelineAsync(owner, played.OrderId)).GetProperty("conversation").EnumerateArray().ToList();

            var customer = conversation.Single(m => m.GetProperty("subject").GetString() == "Where is my order?");
            Assert.True(customer.GetProperty("sender_verified").GetBoolean());
            Assert.Equal("Hello, when will it arrive?\nJane", customer.GetProperty("body").GetString());
            var reply = customer.GetProperty("agent_reply");
            Assert.Equal(played.ReplyEmailId, reply.GetProperty("email_id").GetGuid());
            Assert.Equal("where_is_my_order", reply.GetProperty("intent").GetString());
            Assert.Equal("delivered", reply.GetProperty("delivery_state").GetString());

            var stranger = conversation.Single(m => m.GetProperty("subject").GetString() == TimelineScenario.ScriptSubject);
            Assert.False(stranger.GetProperty("sender_verified").GetBoolean());
            Assert.Equal(TimelineScenario.ScriptBody, stranger.GetProperty("body").GetString());
            Assert.Contains("needs-review", stranger.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        }
    }

    /// <summary>Anyone may write to the order's inbox, each message up to about a megabyte: the timeline carries each message's beginning, saying so.</summary>
    [Fact]
    public async Task When_a_message_is_longer_than_the_timeline_carries_Should_show_its_beginning_and_say_it_is_cut()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var scenario = new TimelineScenario(fixture.Api.Services, owner, userId);
        var played = await scenario.PlayAsync();
        var text = string.Concat(Enumerable.Repeat("0123456789", 100_000));
        await scenario.PublishAsync(TimelineScenario.Routed(played.OrderId, "Mallory <mallory@evil.example>", "A megabyte", text, DateTimeOffset.UtcNow), "orders-api-conversation");

        var conversation = (await TimelineAsync(owner, played.OrderId)).GetProperty("conversation").EnumerateArray().ToList();

        var cut = conversation.Single(m => m.GetProperty("subject").GetString() == "A megabyte");
        Assert.Equal(text[..TimelineReader.MaxBodyLength], cut.GetProperty("body").GetString());
        Assert.True(cut.GetProperty("body_cut").GetBoolean());
        Assert.All(conversation.Where(m => m.GetProperty("subject").GetString() != "A megabyte"), m => Assert.False(m.GetProperty("body_cut").GetBoolean()));
    }

    /// <summary>
    /// Whether a long message is cut is told from its beginning: each poll of the timeline reads a slice of every body,
    /// not every body whole (here 20 bodies of a megabyte, which no compression shrinks much).
    /// </summary>
    [Fact]
    public async Task When_messages_are_long_Should_read_no_more_of_each_than_the_timeline_carries()
    {
        var (owner, played) = await PlayAsync();
        owner.Dispose();
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("set search_path to orders");
        await connection.ExecuteAsync(
            """
            insert into order_messages (order_id, message_id, direction, from_address, subject, preview, body, sender_verified, received_at)
            select @OrderId, '<long-' || n || '@customer.example>', 'inbound', 'jane@customer.example', 'Long', 'Long',
                   (select string_agg(md5(random()::text || n || i), '') from generate_series(1, 32768) i), true, now()
            from generate_series(1, 20) n
            """,
            new { played.OrderId });
        var bodyPages = await connection.ExecuteScalarAsync<long>(
            "select sum(octet_length(body)) / 8192 from order_messages where order_id = @OrderId", new { played.OrderId });

        var plan = JsonNode.Parse(await connection.ExecuteScalarAsync<string>(
            $"explain (analyze, buffers, format json) {TimelineReader.NewestMessagesSql}",
            new { played.OrderId, TimelineReader.MaxMessages, TimelineReader.MaxBodyLength, TimelineReader.MaxBodiesBytes }) ?? "null")![0]!["Plan"]!;
        var pagesRead = (long)plan["Shared Hit Blocks"]! + (long)plan["Shared Read Blocks"]!;

        Assert.True(bodyPages > 2_000, $"the bodies take {bodyPages} pages, too few to tell");
        Assert.True(pagesRead < bodyPages / 5, $"reading the timeline's messages touched {pagesRead} pages, of {bodyPages} the bodies take");
    }

    /// <summary>
    /// Anyone may write to the order's inbox, and each message gets the agent's reply, an email: the timeline carries the
    /// newest messages, the replies to those alone with their delivery state, the order's newest emails and how many of
    /// each there are, and the messages route pages through every message.
    /// </summary>
    [Fact]
    public async Task When_the_inbox_is_spammed_Should_carry_the_newest_messages_and_their_replies_and_page_the_rest()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        var messages = await ConversationSpam.AddAsync(fixture.Infrastructure, orderId, TimelineReader.MaxMessages + 20);

        var view = await TimelineAsync(owner, orderId);

        var conversation = view.GetProperty("conversation").EnumerateArray().ToList();
        Assert.Equal(messages[^TimelineReader.MaxMessages..], conversation.Select(m => m.GetProperty("id").GetGuid()));
        Assert.All(conversation, m => Assert.Equal("delivered", m.GetProperty("agent_reply").GetProperty("delivery_state").GetString()));
        var timeline = view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(TimelineReader.MaxMessages, timeline.Count(k => k == "agent_reply"));
        Assert.Equal(TimelineReader.MaxMessages, timeline.Count(k => k == "message_in"));
        Assert.Equal(2 * OrderReader.MaxEmails, timeline.Count(k => k is "email_queued" or "email_state"));
        Assert.Equal(OrderReader.MaxEmails, view.GetProperty("emails_shown").GetInt32());
        var order = view.GetProperty("order");
        Assert.Equal(messages.Count, order.GetProperty("message_count").GetInt32());
        Assert.Equal(OrderReader.MaxEmails, order.GetProperty("emails").GetArrayLength());
        Assert.Equal(messages.Count, order.GetProperty("email_count").GetInt32());
        Assert.Equal(messages, await PagedMessagesAsync(owner, orderId));
    }

    /// <summary>
    /// The confirmation failed, ops sent it again and the copy bounced; then the agent answered more messages than the
    /// order carries emails. The customer writes that they never got a confirmation: the timeline still tells both of its
    /// emails, and says which of the order's emails it shows, where it told the newest only and the bounce was gone
    /// without a word.
    /// </summary>
    [Fact]
    public async Task When_more_emails_came_after_the_confirmation_than_the_order_carries_Should_still_tell_the_confirmations_and_say_the_rest_are_left_out()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        await ConfirmationFailedAndItsCopyBouncedAsync(orderId);
        await ConversationSpam.AddAsync(fixture.Infrastructure, orderId, OrderReader.MaxEmails + 1);

        var view = await TimelineAsync(owner, orderId);

        var timeline = Entries(view);
        Assert.Contains(timeline, e => e is { Kind: "email_queued", Title: "Email queued: order confirmation via resend" });
        Assert.Contains(timeline, e => e is { Kind: "email_state", Title: "Email failed: order confirmation via resend", Tone: "problem", Detail: "reached_daily_quota" });
        Assert.Contains(timeline, e => e is { Kind: "email_state", Title: "Email bounced: order confirmation, sent again via resend", Tone: "problem", Detail: TimelineScenario.BounceReason });
        Assert.Equal(2 * OrderReader.MaxEmails, timeline.Count(e => e.Title.Contains("agent reply", StringComparison.Ordinal)));
        var order = view.GetProperty("order");
        Assert.Equal(OrderReader.MaxEmails + 3, order.GetProperty("email_count").GetInt32());
        Assert.Equal(OrderReader.MaxEmails, order.GetProperty("emails").GetArrayLength());
        Assert.Equal(OrderReader.MaxEmails + 2, view.GetProperty("emails_shown").GetInt32());
    }

    /// <summary>
    /// A chatty customer's thread, every message quoting the rest past what one message carries: the answer carries the
    /// newest messages' text up to its budget and the older ones' previews, where it came to 8 MB and a page on a slow
    /// link never loaded.
    /// </summary>
    [Fact]
    public async Task When_every_message_quotes_the_thread_Should_carry_the_newest_texts_within_the_budget_and_the_older_ones_previews()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        var quoting = string.Concat(Enumerable.Repeat("> On Monday Jane wrote: where is my order?\n", 400));
        var messages = await ConversationSpam.AddAsync(fixture.Infrastructure, orderId, TimelineReader.MaxMessages + 20, quoting);

        using var response = await owner.GetAsync($"/api/orders/{orderId}/timeline");
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newestFirst = JsonDocument.Parse(answer).RootElement.GetProperty("conversation").EnumerateArray().Reverse().ToList();
        Assert.Equal(messages[^TimelineReader.MaxMessages..].AsEnumerable().Reverse(), newestFirst.Select(m => m.GetProperty("id").GetGuid()));
        Assert.All(newestFirst, m => Assert.True(m.GetProperty("body_cut").GetBoolean()));

        // Latin text, a byte a character: as many whole cut bodies as fit the budget, then previews.
        var carried = TimelineReader.MaxBodiesBytes / TimelineReader.MaxBodyLength;
        Assert.All(newestFirst[..carried], m => Assert.Equal(quoting[..TimelineReader.MaxBodyLength], m.GetProperty("body").GetString()));
        Assert.All(newestFirst[carried..], m => Assert.Equal(MessagePreview.Of(quoting), m.GetProperty("body").GetString()));
        Assert.True(
            answer.Length < TimelineReader.MaxBodiesBytes + (TimelineReader.MaxMessages * EnvelopeBytes),
            $"the answer is {answer.Length} bytes, past the budget of {TimelineReader.MaxBodiesBytes} and {EnvelopeBytes} a message");
    }

    /// <summary>
    /// The page polls every few seconds: while nothing changed it gets a 304 with no body for the tag it holds, and the
    /// whole answer with a new tag once anything in it changed (a new message, one read).
    /// </summary>
    [Fact]
    public async Task When_asked_again_with_the_answers_tag_Should_answer_304_until_anything_in_it_changes()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        using var first = await owner.GetAsync($"/api/orders/{orderId}/timeline");
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);

        using var unchanged = await TimelineIfNoneMatchAsync(owner, orderId, tag);

        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, unchanged.Headers.ETag);

        var message = Assert.Single(await ConversationSpam.AddAsync(fixture.Infrastructure, orderId, 1));
        using var received = await TimelineIfNoneMatchAsync(owner, orderId, tag);

        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        Assert.NotEqual(tag, received.Headers.ETag);
        var view = await received.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(message, Assert.Single(view.GetProperty("conversation").EnumerateArray()).GetProperty("id").GetGuid());

        tag = received.Headers.ETag!;
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update orders.order_messages set is_read = true where id = @Id", new { Id = message });
        }

        using var read = await TimelineIfNoneMatchAsync(owner, orderId, tag);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotEqual(tag, read.Headers.ETag);
    }

    /// <summary>Each line's quantity fits an int; two of two billion do not add up in one, and the timeline still answers.</summary>
    [Fact]
    public async Task When_the_orders_quantities_add_up_past_an_int_Should_show_its_timeline_with_their_sum()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner, OrderRequests.Body(body => body["items"] = new JsonArray(
            new JsonObject { ["sku"] = "PIN-01", ["name"] = "Pin", ["quantity"] = 2_000_000_000, ["unit_price"] = 0.01m },
            new JsonObject { ["sku"] = "PIN-02", ["name"] = "Pin", ["quantity"] = 2_000_000_000, ["unit_price"] = 0.01m })));

        var placed = (await TimelineAsync(owner, orderId)).GetProperty("timeline").EnumerateArray().First();

        Assert.StartsWith("4000000000 item(s)", placed.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Each line's amount is worked out in decimal, and every amount comes as the confirmation writes it too: the page did the
    /// sum in doubles, and a JSON number read as one loses the last of the 19 significant digits an amount may have.
    /// </summary>
    [Fact]
    public async Task Should_give_each_line_its_amount_and_every_amount_as_the_confirmation_writes_it()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner, OrderRequests.Body(body =>
        {
            body["currency"] = "USD";
            body["items"] = new JsonArray(
                new JsonObject { ["sku"] = "PIN-01", ["name"] = "Pin", ["quantity"] = 1000, ["unit_price"] = 0.0125m },
                new JsonObject { ["sku"] = "YACHT-01", ["name"] = "Yacht", ["quantity"] = 1, ["unit_price"] = 999_999_999_999_987.4999m });
        }));

        var order = (await TimelineAsync(owner, orderId)).GetProperty("order");

        Assert.Equal(
            [(12.5m, "0.0125 USD", "12.50 USD"), (999_999_999_999_987.4999m, "999999999999987.4999 USD", "999999999999987.4999 USD")],
            order.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("amount").GetDecimal(), i.GetProperty("unit_price_text").GetString(), i.GetProperty("amount_text").GetString())));
        Assert.Equal(999_999_999_999_999.9999m, order.GetProperty("total").GetDecimal());
        Assert.Equal("999999999999999.9999 USD", order.GetProperty("total_text").GetString());
    }

    [Fact]
    public async Task When_the_agents_reply_is_claimed_but_not_written_Should_show_it_being_written_at_its_claim()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var scenario = new TimelineScenario(fixture.Api.Services, owner, userId);
        await scenario.ReadyAsync();
        var orderId = await Orders.OrderRequests.PlacedAsync(owner);
        var asked = TimelineScenario.Routed(orderId, "Jane Doe <jane@example.com>", "Where is my order?", "Any news?", DateTimeOffset.UtcNow);
        await scenario.PublishAsync(asked, "orders-api-conversation");
        var claimedAt = await UnwriteReplyAsync(orderId, asked.MessageId);

        var view = await TimelineAsync(owner, orderId);

        var timeline = view.GetProperty("timeline").EnumerateArray().ToList();
        var times = timeline.Select(e => e.GetProperty("at")).Where(a => a.ValueKind != JsonValueKind.Null).Select(a => a.GetDateTimeOffset()).ToList();
        Assert.All(times, at => Assert.True(at.Year > 1, $"an entry of the timeline is at {at:O}"));
        Assert.Equal(times.Order(), times);
        var reply = Assert.Single(timeline, e => e.GetProperty("kind").GetString() == "agent_reply");
        Assert.Equal("Agent reply being written (where is my order)", reply.GetProperty("title").GetString());
        Assert.Equal(claimedAt, reply.GetProperty("at").GetDateTimeOffset());
        var message = Assert.Single(view.GetProperty("conversation").EnumerateArray());
        Assert.False(message.TryGetProperty("agent_reply", out var shown), $"an unwritten reply shows in the conversation as {shown}");
    }

    /// <summary>
    /// AgentMail refused the reply (or the relay gave up after an outage); ops fixed the cause and sent it again, and the
    /// copy, a new email naming the failed one, was delivered. The reply's claim and its message keep naming the failed
    /// email: they show where the copy stands, not the failure for good.
    /// </summary>
    [Fact]
    public async Task When_a_failed_reply_was_sent_again_and_delivered_Should_show_the_reply_delivered()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var scenario = new TimelineScenario(fixture.Api.Services, owner, userId);
        var (orderId, reply) = await AskedAsync(scenario, owner);
        await scenario.EmailQueuedAsync(reply, orderId, "agent_reply", EmailProvider.AgentMail, "Re: Where is my order?");
        await scenario.EmailFailedAsync(reply, orderId, "AgentMail refused the send: 403 forbidden");
        var copy = Guid.NewGuid();

        await scenario.EmailDeliveredAsync(copy, orderId, "agent_reply", EmailProvider.AgentMail, "Re: Where is my order?", sentAgainOf: reply);

        var view = await TimelineAsync(owner, orderId);
        var asked = view.GetProperty("conversation").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "inbound");
        var shown = asked.GetProperty("agent_reply");
        Assert.Equal(reply, shown.GetProperty("email_id").GetGuid());
        Assert.Equal("delivered", shown.GetProperty("delivery_state").GetString());
        var timeline = Entries(view);
        var written = Assert.Single(timeline, e => e.Kind == "agent_reply");
        Assert.Equal(("email delivered", "good"), (written.Detail, written.Tone));
        var sent = Assert.Single(timeline, e => e.Kind == "message_out");
        Assert.Equal(($"Message sent from {TimelineScenario.Isolated(OutboundFrom(view))}", "info"), (sent.Title, sent.Tone));
        Assert.Contains(timeline, e => e is { Kind: "email_state", Title: "Email failed: agent reply via agentmail", Tone: "problem" });
    }

    /// <summary>
    /// The agent's reply joins the conversation when its file is written, before any send: while it waits (a provider's
    /// pause can last hours) the timeline says it is in the outbox, and once its email failed that it was not sent.
    /// </summary>
    [Fact]
    public async Task When_the_reply_is_not_sent_yet_or_failed_Should_not_say_it_was_sent()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var scenario = new TimelineScenario(fixture.Api.Services, owner, userId);
        var (orderId, reply) = await AskedAsync(scenario, owner);

        var written = await TimelineAsync(owner, orderId);
        await scenario.EmailQueuedAsync(reply, orderId, "agent_reply", EmailProvider.AgentMail, "Re: Where is my order?");
        var queued = await TimelineAsync(owner, orderId);
        await scenario.EmailFailedAsync(reply, orderId, "AgentMail refused the send: 403 forbidden");
        var failed = await TimelineAsync(owner, orderId);

        var from = TimelineScenario.Isolated(OutboundFrom(written));
        Assert.All(new[] { written, queued, failed }, view => Assert.DoesNotContain(Entries(view), e => e.Title.StartsWith("Message sent from", StringComparison.Ordinal)));
        Assert.Equal(($"Reply written to the outbox, not yet sent from {from}", "info"), OutboundEntry(written));
        Assert.Equal(($"Reply written to the outbox, not yet sent from {from}", "info"), OutboundEntry(queued));
        Assert.Equal(($"Reply not sent from {from}: its email failed", "problem"), OutboundEntry(failed));
    }

    /// <summary>
    /// A sender's name or address, a subject or a recipient is set inside a sentence of ours between Unicode isolates
    /// (FSI ... PDI): an Arabic display name, or a U+202E left open to disguise an address, reordered the rest of our
    /// sentence, "(not the order's address)" read backwards on the other side of the line.
    /// </summary>
    [Fact]
    public async Task When_senders_write_right_to_left_or_override_the_direction_Should_isolate_their_text_in_our_sentences()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var scenario = new TimelineScenario(fixture.Api.Services, owner, userId);
        await scenario.ReadyAsync();
        var orderId = await OrderRequests.PlacedAsync(owner);
        // A spoofer who knows of isolates closes one first: the text's stray PDI is dropped, not left to close ours.
        const string Spoofed = "\u202Eevil@x.com";
        const string Customer = "\u0645\u062D\u0645\u062F <jane@example.com>";
        const string Subject = "\u05D0\u05D9\u05E4\u05D4 \u05D4\u05D4\u05D6\u05DE\u05E0\u05D4?";
        await scenario.PublishAsync(TimelineScenario.Routed(orderId, $"\u2069{Spoofed}", "Refund", "Send it here.", DateTimeOffset.UtcNow), "orders-api-conversation");
        await scenario.PublishAsync(TimelineScenario.Routed(orderId, Customer, Subject, "?", DateTimeOffset.UtcNow), "orders-api-conversation");
        await scenario.EmailQueuedAsync(Guid.NewGuid(), orderId, "receipt", EmailProvider.Resend, Subject);

        var timeline = Entries(await TimelineAsync(owner, orderId));

        var received = timeline.Where(e => e.Kind == "message_in").Select(e => e.Title).ToList();
        Assert.Contains($"Message received from {TimelineScenario.Isolated(Spoofed)} (not the order's address)", received);
        Assert.Contains($"Message received from {TimelineScenario.Isolated(Customer)}", received);
        var queued = Assert.Single(timeline, e => e.Kind == "email_queued");
        Assert.Equal($"\u201c{TimelineScenario.Isolated(Subject)}\u201d to {TimelineScenario.Isolated(TimelineScenario.CustomerEmail)}", queued.Detail);
    }

    [Fact]
    public async Task Should_answer_404_for_another_users_order_exactly_as_for_an_unknown_one()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        using var other = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await Orders.OrderRequests.PlacedAsync(owner);

        using var theirs = await other.GetAsync($"/api/orders/{orderId}/timeline");
        using var unknown = await other.GetAsync($"/api/orders/{Guid.NewGuid()}/timeline");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", theirs.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(),
            (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.DoesNotContain((await Orders.OrderRequests.GetAsync(owner, orderId))["order_ref"]!.GetValue<string>(), await theirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_401_without_a_token()
    {
        using var anonymous = fixture.Api.CreateClient();

        using var response = await anonymous.GetAsync($"/api/orders/{Guid.NewGuid()}/timeline");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("no_token", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    private async Task<(HttpClient Owner, PlayedOrder Played)> PlayAsync()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        var owner = await fixture.SignedInAsync(userId);
        return (owner, await new TimelineScenario(fixture.Api.Services, owner, userId).PlayAsync());
    }

    // An order whose customer (from the order's address, OrderRequests') asked where it is, and the agent's reply
    // written to the outbox, not yet sent: its email id.
    private static async Task<(Guid OrderId, Guid Reply)> AskedAsync(TimelineScenario scenario, HttpClient owner)
    {
        await scenario.ReadyAsync();
        var orderId = await OrderRequests.PlacedAsync(owner);
        var asked = TimelineScenario.Routed(orderId, "Jane Doe <jane@example.com>", "Where is my order?", "Any news?", DateTimeOffset.UtcNow);
        await scenario.PublishAsync(asked, "orders-api-conversation");
        return (orderId, AgentReplyIds.For(orderId, asked.MessageId));
    }

    private static List<(string Kind, string Title, string? Detail, string Tone)> Entries(JsonElement view) =>
        view.GetProperty("timeline").EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("title").GetString()!, e.TryGetProperty("detail", out var d) ? d.GetString() : null, e.GetProperty("tone").GetString()!))
            .ToList();

    private static (string Title, string Tone) OutboundEntry(JsonElement view)
    {
        var entry = Assert.Single(Entries(view), e => e.Kind == "message_out");
        return (entry.Title, entry.Tone);
    }

    // The address our reply goes out from, as the conversation shows it.
    private static string OutboundFrom(JsonElement view) =>
        view.GetProperty("conversation").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "outbound").GetProperty("from").GetString()!;

    // What the agent's claim is until its file is written (while the agent composes, or after its writer died): no
    // written_at, no composer, and no outbound message in the conversation. When it was claimed.
    private async Task<DateTimeOffset> UnwriteReplyAsync(Guid orderId, string messageId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var claimedAt = await connection.ExecuteScalarAsync<DateTime>(
            """
            update orders.agent_replies set written_at = null, composer = null where order_id = @OrderId and message_id = @MessageId returning claimed_at;
            delete from orders.order_messages where email_id is not null and order_id = @OrderId;
            """,
            new { OrderId = orderId, MessageId = messageId });
        return new DateTimeOffset(DateTime.SpecifyKind(claimedAt, DateTimeKind.Utc));
    }

    // The order's confirmation, claimed and written two hours ago, failed by Resend; ops sent it again, and the copy
    // bounced. Both older than anything the spec adds after.
    private async Task ConfirmationFailedAndItsCopyBouncedAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            set search_path to orders;
            insert into order_confirmations (order_id, email_id, reply_to, reason, claimed_at, written_at)
            values (@OrderId, @Confirmation, 'jane@agentmail.test', 'inbox_ready', now() - interval '2 hours', now() - interval '2 hours');
            insert into order_emails
                (email_id, order_id, kind, subject, recipients, provider, state, state_rank, detail, queued_at, updated_at, recorded_at, sent_again_of)
            values
                (@Confirmation, @OrderId, 'order_confirmation', 'Your order is confirmed', array['jane@example.com'], 'resend', 'failed', 7,
                 'reached_daily_quota', now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours', null),
                (@Copy, @OrderId, 'order_confirmation', 'Your order is confirmed', array['jane@example.com'], 'resend', 'bounced', 5,
                 @BounceReason, now() - interval '100 minutes', now() - interval '100 minutes', now() - interval '100 minutes', @Confirmation);
            """,
            new { OrderId = orderId, Confirmation = ConfirmationEmailIds.For(orderId), Copy = Guid.NewGuid(), TimelineScenario.BounceReason });
    }

    private static async Task<List<Guid>> PagedMessagesAsync(HttpClient owner, Guid orderId)
    {
        var paged = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await owner.GetFromJsonAsync<JsonElement>(
                $"/api/orders/{orderId}/messages?include_archived=true&limit=100{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            paged.AddRange(page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        return paged;
    }

    private static async Task<HttpResponseMessage> TimelineIfNoneMatchAsync(HttpClient owner, Guid orderId, EntityTagHeaderValue tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}/timeline");
        request.Headers.IfNoneMatch.Add(tag);
        return await owner.SendAsync(request);
    }

    private static async Task<JsonElement> TimelineAsync(HttpClient owner, Guid orderId)
    {
        using var response = await owner.GetAsync($"/api/orders/{orderId}/timeline");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the timeline answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

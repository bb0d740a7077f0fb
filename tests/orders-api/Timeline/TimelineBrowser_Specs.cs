using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Timeline;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>
/// The order timeline page in headless Chromium, signed in through the sandbox's sign-in link as a person would be:
/// it shows every step of the journey, nothing of another user's order, a script in a subject as text, and news
/// without a reload, drawing the page again only when the order changed. Screenshots at desktop and phone width are kept in <see cref="TimelineBrowserFixture.ArtifactsDirectory"/>.
/// </summary>
public sealed class TimelineBrowser_Specs(TimelineBrowserFixture fixture) : IClassFixture<TimelineBrowserFixture>
{
    // Waits for the page: a poll every 3 s, a render, on a machine that may be busy.
    private const float PageTimeoutMs = 20_000;

    [Fact]
    public async Task Should_show_every_step_of_the_journey_and_keep_screenshots_at_desktop_and_phone_width()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);

        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync($"Order {order.OrderRef}", new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#facts")).ToContainTextAsync(order.ReplyAddress);
        await Assertions.Expect(page.Locator("#items tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#total")).ToContainTextAsync("39");
        var timeline = page.Locator("#timeline");
        foreach (var step in new[]
        {
            $"Order {order.OrderRef} placed", "Customer inbox provisioned", "Order confirmation written to the outbox",
            "Email delivered: order confirmation via resend", $"Message received from {TimelineScenario.Isolated($"Jane Doe <{TimelineScenario.CustomerEmail}>")}",
            "Agent reply written (where is my order", "Email delivered: agent reply via agentmail",
            $"Message received from {TimelineScenario.Isolated("Mallory <mallory@evil.example>")}", "Email bounced: receipt via resend",
        })
        {
            await Assertions.Expect(timeline).ToContainTextAsync(step, new() { Timeout = PageTimeoutMs });
        }

        var bounced = page.Locator("#timeline li.tone-problem", new() { HasText = "Email bounced: receipt via resend" });
        await Assertions.Expect(bounced).ToContainTextAsync(TimelineScenario.BounceReason);
        Assert.Equal("rgb(198, 40, 40)", await bounced.Locator(".what").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await Assertions.Expect(page.Locator("#conversation .reply").First).ToContainTextAsync("email delivered");
        await Assertions.Expect(page.Locator("#conversation .label-needs-review")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#conversation-older")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#timeline-older")).ToBeHiddenAsync();

        Directory.CreateDirectory(TimelineBrowserFixture.ArtifactsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(TimelineBrowserFixture.ArtifactsDirectory, "timeline-desktop.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at phone width");
        await page.ScreenshotAsync(new() { Path = Path.Combine(TimelineBrowserFixture.ArtifactsDirectory, "timeline-phone.png"), FullPage = true });
    }

    /// <summary>
    /// Every amount reads as the server writes it, as the confirmation and the page's own "Order placed" entry do: the page
    /// formatted the numbers to the currency's usual decimals and worked out each line in doubles, so 1 x 12.345 EUR showed
    /// €12.35, a unit price of 0.0125 USD $0.01, and 999999999999999.9999 EUR, 19 significant digits, €1,000,000,000,000,000.00.
    /// </summary>
    [Fact]
    public async Task Should_show_every_amount_as_the_server_writes_it_never_rounded()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        await using var context = await NewContextAsync();
        var orders = new (string Currency, int Quantity, decimal UnitPrice, string Price, string Amount)[]
        {
            ("EUR", 1, 12.345m, "12.345 EUR", "12.345 EUR"),
            ("USD", 1000, 0.0125m, "0.0125 USD", "12.50 USD"),
            ("EUR", 1, 999_999_999_999_999.9999m, "999999999999999.9999 EUR", "999999999999999.9999 EUR"),
        };

        foreach (var (currency, quantity, unitPrice, price, amount) in orders)
        {
            var orderId = await OrderRequests.PlacedAsync(owner, OrderRequests.Body(body =>
            {
                body["currency"] = currency;
                body["items"] = new JsonArray(new JsonObject { ["sku"] = "SKU-1", ["name"] = "Widget", ["quantity"] = quantity, ["unit_price"] = unitPrice });
            }));

            var page = await OpenAsync(context, userId, orderId, HttpStatusCode.OK);

            await Assertions.Expect(page.Locator("#items td.num")).ToHaveTextAsync(
                [quantity.ToString(CultureInfo.InvariantCulture), price, amount], new() { Timeout = PageTimeoutMs });
            await Assertions.Expect(page.Locator("#total")).ToHaveTextAsync(amount);
        }
    }

    /// <summary>
    /// The answer carries the newest messages of a spammed inbox and the newest emails of the agent's replies to them; the
    /// page says so of each, and how many there are.
    /// </summary>
    [Fact]
    public async Task When_the_conversation_and_its_emails_are_more_than_the_answer_carries_Should_say_how_many_it_shows_of_how_many()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var orderId = await OrderRequests.PlacedAsync(owner);
        var total = TimelineReader.MaxMessages + 20;
        await ConversationSpam.AddAsync(fixture.Infrastructure, orderId, total);
        await using var context = await NewContextAsync();

        var page = await OpenAsync(context, userId, orderId, HttpStatusCode.OK);

        await Assertions.Expect(page.Locator("#conversation-older")).ToHaveTextAsync(
            $"The newest {TimelineReader.MaxMessages} of {total} messages; the older ones are not shown here.", new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#conversation > li")).ToHaveCountAsync(TimelineReader.MaxMessages);
        await Assertions.Expect(page.Locator("#timeline-older")).ToHaveTextAsync(
            $"The newest {OrderReader.MaxEmails} of {total} emails are shown; the older ones are not shown here.");
    }

    [Fact]
    public async Task Should_render_a_script_in_a_subject_as_text_and_run_nothing()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var dialogs = new List<string>();
        context.Page += (_, opened) => opened.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);

        await Assertions.Expect(page.Locator("#conversation .subject", new() { HasTextRegex = Exactly(TimelineScenario.ScriptSubject) })).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#conversation .body", new() { HasText = TimelineScenario.ScriptBody })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#timeline .detail", new() { HasText = TimelineScenario.ScriptSubject }).First).ToBeVisibleAsync();

        // One more poll and render after the first, so anything the data could have set off has had its chance.
        await page.WaitForResponseAsync(r => r.Url.EndsWith("/timeline", StringComparison.Ordinal), new() { Timeout = PageTimeoutMs });
        Assert.Equal(0, await page.Locator("main script, main img").CountAsync());
        Assert.Empty(dialogs);
    }

    /// <summary>
    /// A sender's text keeps its own direction and leaves ours alone: an unterminated U+202E in a From read "(not the
    /// order's address)" backwards, and a Hebrew subject or body showed left to right, its question mark at its start.
    /// </summary>
    [Fact]
    public async Task Should_show_right_to_left_text_in_its_own_direction_without_turning_our_words_around()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        var orderId = await OrderRequests.PlacedAsync(owner);
        const string Subject = "\u05D0\u05D9\u05E4\u05D4 \u05D4\u05D4\u05D6\u05DE\u05E0\u05D4?";
        var message = TimelineScenario.Routed(orderId, "\u202Eevil@x.com", Subject, "\u05E9\u05DC\u05D5\u05DD", DateTimeOffset.UtcNow);
        await fixture.Scenario(owner, userId).PublishAsync<InboundMessageRouted>(message, "orders-api-conversation");
        await using var context = await NewContextAsync();

        var page = await OpenAsync(context, userId, orderId, HttpStatusCode.OK);

        var received = page.Locator("#timeline li[data-kind=message_in]");
        await Assertions.Expect(received).ToHaveCountAsync(1, new() { Timeout = PageTimeoutMs });
        Assert.True(await received.Locator(".what").EvaluateAsync<bool>(ReadsLeftToRight, "(not"), "the title's \"(not the order's address)\" reads backwards");
        var shown = page.Locator("#conversation > li.inbound");
        foreach (var foreign in new[] { received.Locator(".detail"), shown.Locator(".from"), shown.Locator(".subject"), shown.Locator(".body") })
        {
            await Assertions.Expect(foreign).ToHaveAttributeAsync("dir", "auto");
        }

        Assert.True(await shown.Locator(".subject").EvaluateAsync<bool>("e => e.matches(':dir(rtl)')"), "the Hebrew subject shows left to right");
    }

    [Fact]
    public async Task Should_show_another_user_nothing_of_the_order()
    {
        var (_, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();

        var page = await OpenAsync(context, $"user_{Guid.NewGuid():N}", order.OrderId, HttpStatusCode.NotFound);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("No such order");
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var secret in new[] { order.OrderRef, order.ReplyAddress, TimelineScenario.CustomerEmail, "Where is my order?" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_show_a_new_message_while_the_page_is_open()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync($"Order {order.OrderRef}", new() { Timeout = PageTimeoutMs });

        var subject = $"Any news? {Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(ownerId);
        var message = TimelineScenario.Routed(order.OrderId, $"Jane Doe <{TimelineScenario.CustomerEmail}>", subject, "Just checking.", DateTimeOffset.UtcNow);
        await fixture.Scenario(owner, ownerId).PublishAsync<InboundMessageRouted>(message, "orders-api-conversation");

        await Assertions.Expect(page.Locator("#conversation .subject", new() { HasTextRegex = Exactly(subject) })).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
    }

    [Fact]
    public async Task Should_draw_the_page_again_only_when_the_order_changed()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync($"Order {order.OrderRef}", new() { Timeout = PageTimeoutMs });
        var drawn = await page.Locator("#timeline li").First.ElementHandleAsync();

        // Asked with the tag of the answer drawn, the API answers no more than that nothing changed.
        var notModified = page.WaitForResponseAsync(r => r.Url.EndsWith("/timeline", StringComparison.Ordinal) && r.Status == (int)HttpStatusCode.NotModified, new() { Timeout = PageTimeoutMs });
        await PolledAsync(page);
        await PolledAsync(page);
        await notModified;
        Assert.True(await drawn.EvaluateAsync<bool>("e => e.isConnected"), "the timeline was drawn again though nothing of the order changed");

        using var owner = await fixture.SignedInAsync(ownerId);
        var subject = $"Still there? {Guid.NewGuid():N}";
        var message = TimelineScenario.Routed(order.OrderId, $"Jane Doe <{TimelineScenario.CustomerEmail}>", subject, "Just checking.", DateTimeOffset.UtcNow);
        await fixture.Scenario(owner, ownerId).PublishAsync<InboundMessageRouted>(message, "orders-api-conversation");
        await Assertions.Expect(page.Locator("#conversation .subject", new() { HasTextRegex = Exactly(subject) })).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
        Assert.False(await drawn.EvaluateAsync<bool>("e => e.isConnected"), "the timeline was not drawn again when the order changed");
    }

    /// <summary>
    /// A screen reader reads out every write to a live region: a poll that finds nothing new writes none, and a customer's
    /// new message is read out with its sender.
    /// </summary>
    [Fact]
    public async Task Should_read_out_a_new_message_and_nothing_at_a_poll_that_found_nothing_new()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync($"Order {order.OrderRef}", new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(new Regex("^Up to date"), new() { Timeout = PageTimeoutMs });
        var before = await page.Locator(LiveRegions).AllTextContentsAsync();
        await page.EvaluateAsync(RecordWritesToLiveRegions);

        // Each poll is taken in before the next one is sent: the third answer means the first two, both 304, were.
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var answer = await page.WaitForResponseAsync(r => r.Url.EndsWith("/timeline", StringComparison.Ordinal), new() { Timeout = PageTimeoutMs });
            statuses.Add(answer.Status);
        }

        Assert.Equal([(int)HttpStatusCode.NotModified, (int)HttpStatusCode.NotModified], statuses.Take(2));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.liveWrites"));
        Assert.Equal(before, await page.Locator(LiveRegions).AllTextContentsAsync());

        using var owner = await fixture.SignedInAsync(ownerId);
        var message = TimelineScenario.Routed(order.OrderId, $"Jane Doe <{TimelineScenario.CustomerEmail}>", $"Hello again {Guid.NewGuid():N}", "One more thing.", DateTimeOffset.UtcNow);
        await fixture.Scenario(owner, ownerId).PublishAsync<InboundMessageRouted>(message, "orders-api-conversation");

        await Assertions.Expect(page.Locator(LiveRegions, new() { HasText = $"1 new message from Jane Doe <{TimelineScenario.CustomerEmail}>" }))
            .ToHaveCountAsync(1, new() { Timeout = PageTimeoutMs });
    }

    /// <summary>A first load that fails leaves nothing drawn: the page says so, not that the order has no messages.</summary>
    [Fact]
    public async Task When_the_first_load_fails_Should_say_it_could_not_load_the_order_and_show_no_empty_conversation()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        await context.RouteAsync("**/api/orders/*/timeline", route => route.FulfillAsync(new() { Status = (int)HttpStatusCode.ServiceUnavailable }));

        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            "Could not load this order (the server answered 503); trying again", new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.GetByText("No messages yet.")).ToBeHiddenAsync();
    }

    /// <summary>
    /// A server that answers 503 with Retry-After is not asked again before that long: the page polled every 3 s through
    /// an outage, every open tab adding to the load of a server already short of connections.
    /// </summary>
    [Fact]
    public async Task When_the_timeline_answers_503_with_retry_after_Should_not_ask_again_before_it()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var asked = 0;
        await context.RouteAsync("**/api/orders/*/timeline", route =>
        {
            Interlocked.Increment(ref asked);
            return route.FulfillAsync(new() { Status = (int)HttpStatusCode.ServiceUnavailable, Headers = new Dictionary<string, string> { ["Retry-After"] = "30" } });
        });

        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            "Could not load this order (the server answered 503); trying again", new() { Timeout = PageTimeoutMs });

        // More than two of the old 3 s polls, far less than the 30 s asked for.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Equal(1, Volatile.Read(ref asked));
    }

    [Fact]
    public async Task Should_show_the_signed_out_page_without_a_session()
    {
        var (_, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(fixture.ApiUrl, $"orders/{order.OrderId}").ToString(), new() { Timeout = PageTimeoutMs });

        Assert.Equal((int)HttpStatusCode.Unauthorized, response!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in to see this order");
    }

    /// <summary>
    /// Clerk's session tokens live 60 s and clerk-js renews the <c>__session</c> cookie: a 401 whose reason is
    /// <c>expired</c> is routine on a page left open, so the page keeps the order, says it waits for the sign-in to be
    /// renewed, and goes on once it is. It stopped for good at any 401, showing no news however long it stayed open.
    /// </summary>
    [Fact]
    public async Task When_the_session_token_expired_Should_wait_for_a_renewed_one_and_show_news_again()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync($"Order {order.OrderRef}", new() { Timeout = PageTimeoutMs });

        await SetSessionCookieAsync(context, await fixture.Sandbox.MintTokenAsync(ownerId, mode: "expired"));
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            "Waiting for your sign-in to be renewed; the order shown may be out of date", new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#conversation .body").First).ToBeVisibleAsync();

        using var owner = await fixture.SignedInAsync(ownerId);
        var subject = $"Back again? {Guid.NewGuid():N}";
        var message = TimelineScenario.Routed(order.OrderId, $"Jane Doe <{TimelineScenario.CustomerEmail}>", subject, "Just checking.", DateTimeOffset.UtcNow);
        await fixture.Scenario(owner, ownerId).PublishAsync<InboundMessageRouted>(message, "orders-api-conversation");
        await SetSessionCookieAsync(context, await fixture.Sandbox.MintTokenAsync(ownerId));

        await Assertions.Expect(page.Locator("#conversation .subject", new() { HasTextRegex = Exactly(subject) })).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Up to date");
    }

    /// <summary>
    /// A person who signed out (the cookie gone, 401 <c>no_token</c>) leaves nothing of the order on the screen: the page
    /// stopped polling but kept every message, bodies and addresses, for whoever came to the computer next.
    /// </summary>
    [Fact]
    public async Task When_signed_out_Should_take_the_order_off_the_page()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#conversation .body").First).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });

        await context.ClearCookiesAsync();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            "You are signed out: sign in again to see this order.", new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#conversation .body")).ToHaveCountAsync(0);
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var secret in new[] { order.OrderRef, order.ReplyAddress, TimelineScenario.CustomerEmail, "Where is my order?", "Hello, when will it arrive?" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Who wrote a message is said in words, not only by its tint and side, for a screen reader and a colour-blind reader.</summary>
    [Fact]
    public async Task Should_say_in_words_whether_a_message_was_received_or_is_our_reply()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        var outbound = page.Locator("#conversation > li.outbound .message-head .direction");
        await Assertions.Expect(outbound.First).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });

        var inbound = await page.Locator("#conversation > li.inbound .message-head .direction").AllInnerTextsAsync();
        Assert.NotEmpty(inbound);
        Assert.All(inbound, said => Assert.Equal("Received", said));
        Assert.All(await outbound.AllInnerTextsAsync(), said => Assert.Equal("Our reply", said));
    }

    /// <summary>Without its script (JavaScript off, or the script not loaded) the page said "Loading…" for ever.</summary>
    [Fact]
    public async Task Without_javascript_Should_say_the_page_needs_it()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await fixture.Browser.NewContextAsync(new() { JavaScriptEnabled = false });

        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);

        var text = await page.Locator("body").InnerTextAsync();
        Assert.Contains("This page needs JavaScript from this site to show the order.", text, StringComparison.Ordinal);
        Assert.Contains("Allow JavaScript for this site, then reload the page.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every text on the page reads against its background at WCAG's 4.5:1 at least: the needs-review label was 3.81:1,
    /// the other labels 4.02:1, a delivered reply's line 4.38:1, warnings 4.24:1.
    /// </summary>
    [Fact]
    public async Task Should_show_every_text_at_a_contrast_of_at_least_4_5_to_1()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        await Assertions.Expect(page.Locator("#conversation .label-needs-review").First).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
        await Assertions.Expect(page.Locator("#conversation .reply.tone-good").First).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });

        Assert.Empty(await page.EvaluateAsync<string[]>(TextBelowContrast));
    }

    /// <summary>A time says its zone, and carries the moment itself for software reading the page: it showed none.</summary>
    [Fact]
    public async Task Should_show_each_time_with_its_zone_and_the_moment_in_datetime()
    {
        var (ownerId, order) = await fixture.JourneyAsync();
        await using var context = await fixture.Browser.NewContextAsync(new() { TimezoneId = "America/New_York", Locale = "en-US" });
        var page = await OpenAsync(context, ownerId, order.OrderId, HttpStatusCode.OK);
        var times = page.Locator("#timeline time, #conversation time");
        await Assertions.Expect(times.First).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });

        foreach (var time in await times.AllAsync())
        {
            await Assertions.Expect(time).ToHaveTextAsync(new Regex(@"\bE[SD]T$"));
            await Assertions.Expect(time).ToHaveAttributeAsync("datetime", new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
        }
    }

    private Task<IBrowserContext> NewContextAsync() =>
        fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

    // As clerk-js does when it renews the session: the cookie goes first, so no second __session is left beside the new one.
    private async Task SetSessionCookieAsync(IBrowserContext context, string token)
    {
        await context.ClearCookiesAsync();
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "__session", Value = token, Url = fixture.ApiUrl.ToString() }]);
    }

    /// <summary>Follows the sandbox's sign-in link for <paramref name="userId"/> to the order's page, which answers <paramref name="expected"/>.</summary>
    private async Task<IPage> OpenAsync(IBrowserContext context, string userId, Guid orderId, HttpStatusCode expected)
    {
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(fixture.SignInLink(userId, orderId), new() { Timeout = PageTimeoutMs });
        Assert.NotNull(response);
        Assert.Equal(new Uri(fixture.ApiUrl, $"orders/{orderId}").ToString(), page.Url);
        Assert.Equal((int)expected, response.Status);
        return page;
    }

    // The freshness line counts the answers the page took in, each after drawing it if it changed: a higher count is a poll done.
    private static async Task PolledAsync(IPage page)
    {
        var before = await page.Locator("#freshness").GetAttributeAsync("data-answers");
        await page.WaitForFunctionAsync(
            "before => (document.getElementById('freshness').dataset.answers ?? null) !== before",
            before,
            new() { Timeout = PageTimeoutMs });
    }

    // Whether the element's text of its own shows a word in reading order, its first character left of its last (a word,
    // so that no line breaks between them).
    private const string ReadsLeftToRight = """
        (e, word) => {
          const text = [...e.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.data.includes(word));
          const at = text.data.indexOf(word);
          const left = (i) => { const range = document.createRange(); range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().left; };
          return left(at) < left(at + word.length - 1);
        }
        """;

    // What a screen reader reads out when it changes.
    private const string LiveRegions = "[aria-live]:not([aria-live='off']), [role=status], [role=log], [role=alert]";

    // Keeps in window.liveWrites the text of each live region written to from now on, a write of the same text too.
    private const string RecordWritesToLiveRegions = $$"""
        () => {
          window.liveWrites = [];
          new MutationObserver((mutations) => {
            for (const mutation of mutations) {
              const node = mutation.target.nodeType === Node.ELEMENT_NODE ? mutation.target : mutation.target.parentElement;
              const region = node && node.closest("{{LiveRegions}}");
              if (region) {
                window.liveWrites.push(region.textContent);
              }
            }
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    // Each shown element with text of its own whose colour is under 4.5:1 against the first background behind it (WCAG's
    // relative luminance), as "class: text ratio".
    private const string TextBelowContrast = """
        () => {
          const rgba = (css) => css.match(/[\d.]+/g).map(Number);
          const luminance = ([r, g, b]) => {
            const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
          };
          const background = (e) => {
            for (let node = e; node; node = node.parentElement) {
              const colour = rgba(getComputedStyle(node).backgroundColor);
              if (colour.length < 4 || colour[3] > 0) {
                return colour;
              }
            }
            return [255, 255, 255];
          };
          const low = [];
          for (const e of document.body.querySelectorAll("*")) {
            const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.data.trim());
            if (!own || !e.checkVisibility()) {
              continue;
            }
            const [a, b] = [luminance(rgba(getComputedStyle(e).color)), luminance(background(e))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) {
              low.push(`${e.className || e.tagName}: ${e.textContent.trim().slice(0, 40)} ${ratio.toFixed(2)}`);
            }
          }
          return low;
        }
        """;

    // A subject exactly, not a longer one holding it: the agent's reply shows as "Re: " + the customer's subject.
    private static Regex Exactly(string text) => new($"^{Regex.Escape(text)}$");
}

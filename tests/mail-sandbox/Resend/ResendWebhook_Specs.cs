using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>
/// Resend's email events, delivered through Svix to a real HTTP receiver (docs/resend.md §5, §6,
/// docs/webhook-signatures.md). Each spec has a sandbox of its own, so no other spec's events reach its endpoints.
/// </summary>
public sealed class ResendWebhook_Specs : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly SandboxFactory _factory = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task When_an_email_is_sent_Should_deliver_sent_then_delivered_signed_per_svix()
    {
        var endpoint = await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["tags"] = JsonNode.Parse("[{\"name\": \"category\", \"value\": \"order_shipped\"}]");

        var id = await client.SendEmailIdAsync(body);
        var received = await _receiver.WaitForAsync(2, Patience);

        var secret = endpoint["signing_secret"]!.GetValue<string>();
        Assert.All(received, r => Assert.True(SvixCheck.IsValid(secret, r.SvixId, r.Headers["svix-timestamp"], r.Body, r.Headers["svix-signature"])));
        Assert.All(received, r => Assert.True(SvixCheck.IsFresh(r.Headers["svix-timestamp"])));
        Assert.Equal(2, received.Select(r => r.SvixId).Distinct().Count());
        Assert.All(received, r => Assert.Equal("/resend", r.Path));

        // Nothing guarantees arrival order (Svix promises none); the event times say which came first.
        var events = received.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToDictionary(e => e["type"]!.GetValue<string>());
        Assert.Equal(["email.delivered", "email.sent"], events.Keys.Order(StringComparer.Ordinal));
        Assert.True(Time(events["email.sent"]["created_at"]) <= Time(events["email.delivered"]["created_at"]));
        foreach (var data in events.Values.Select(e => e["data"]!))
        {
            Assert.Equal(id, data["email_id"]!.GetValue<string>());
            Assert.Equal("Acme Orders <orders@acme.example>", data["from"]!.GetValue<string>());
            Assert.Equal(["jane@customer.example"], data["to"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal(body["subject"]!.GetValue<string>(), data["subject"]!.GetValue<string>());
            Assert.Equal("order_shipped", data["tags"]!["category"]!.GetValue<string>());
            Assert.InRange(Time(data["created_at"]), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task When_a_batch_is_sent_Should_deliver_sent_and_delivered_for_each_of_its_emails()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        using var client = _factory.ResendWithOwnKey();

        var ids = await client.SendBatchIdsAsync(ResendCalls.Emails(3));
        var received = await _receiver.WaitForAsync(6, Patience);

        var events = received.Select(r => JsonNode.Parse(r.Body)!.AsObject())
            .Select(e => (Id: e["data"]!["email_id"]!.GetValue<string>(), Type: e["type"]!.GetValue<string>()))
            .ToList();
        foreach (var id in ids)
        {
            Assert.Equal(["email.delivered", "email.sent"], events.Where(e => e.Id == id).Select(e => e.Type).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task When_the_receiver_fails_once_Should_retry_with_the_same_svix_id_and_each_attempt_signed()
    {
        var endpoint = await _factory.AddWebhookAsync(_receiver.Url("/resend"), "email.sent");
        var endpointId = endpoint["id"]!.GetValue<string>();
        _receiver.Plan(500);
        using var client = _factory.ResendWithOwnKey();

        await client.SendEmailIdAsync(ResendCalls.Email());
        var received = await _receiver.WaitForAsync(2, Patience);
        var attempts = await AttemptsUntilAsync(() => _factory.AttemptsAsync($"?api=resend&endpoint_id={endpointId}"), a => a.Count >= 2);

        var secret = endpoint["signing_secret"]!.GetValue<string>();
        Assert.Equal(received[0].SvixId, received[1].SvixId);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.All(received, r => Assert.True(SvixCheck.IsValid(secret, r.SvixId, r.Headers["svix-timestamp"], r.Body, r.Headers["svix-signature"])));
        Assert.All(received, r => Assert.True(SvixCheck.IsFresh(r.Headers["svix-timestamp"])));
        Assert.True(long.Parse(received[1].Headers["svix-timestamp"], CultureInfo.InvariantCulture) >= long.Parse(received[0].Headers["svix-timestamp"], CultureInfo.InvariantCulture));
        Assert.Equal([1, 2], attempts.Select(a => a!["attempt"]!.GetValue<int>()));
        Assert.Equal([500, 200], attempts.Select(a => a!["status_code"]!.GetValue<int>()));
        Assert.All(attempts, a => Assert.Equal(received[0].SvixId, a!["svix_id"]!.GetValue<string>()));
        Assert.All(attempts, a => Assert.Equal("email.sent", a!["event_type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_the_recipient_bounces_Should_raise_sent_then_bounced_with_the_bounce()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        await _factory.DesignateAsync("gone@customer.example", "bounced");
        using var client = _factory.ResendWithOwnKey();

        var id = await client.SendEmailIdAsync(ResendCalls.Email("Gone <gone@customer.example>"));
        var events = await EventsAsync(2);
        var email = await client.GetFromJsonAsync<JsonObject>($"/resend/emails/{id}");

        Assert.Equal(["email.bounced", "email.sent"], events.Keys.Order(StringComparer.Ordinal));
        var bounce = events["email.bounced"]["data"]!["bounce"]!;
        Assert.Equal("Permanent", bounce["type"]!.GetValue<string>());
        Assert.Equal("General", bounce["subType"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(bounce["message"]!.GetValue<string>()));
        Assert.Equal(id, events["email.bounced"]["data"]!["email_id"]!.GetValue<string>());
        Assert.Equal("bounced", email!["last_event"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_recipient_is_slow_Should_raise_sent_then_delivery_delayed()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        await _factory.DesignateAsync("slow@customer.example", "delivery_delayed");
        using var client = _factory.ResendWithOwnKey();

        var id = await client.SendEmailIdAsync(ResendCalls.Email("slow@customer.example"));
        var events = await EventsAsync(2);
        var email = await client.GetFromJsonAsync<JsonObject>($"/resend/emails/{id}");

        Assert.Equal(["email.delivery_delayed", "email.sent"], events.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(id, events["email.delivery_delayed"]["data"]!["email_id"]!.GetValue<string>());
        Assert.Equal("delivery_delayed", email!["last_event"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_recipient_complains_Should_raise_sent_delivered_then_complained()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        await _factory.DesignateAsync("grumpy@customer.example", "complained");
        using var client = _factory.ResendWithOwnKey();

        var id = await client.SendEmailIdAsync(ResendCalls.Email("grumpy@customer.example"));
        var events = await EventsAsync(3);
        var email = await client.GetFromJsonAsync<JsonObject>($"/resend/emails/{id}");

        Assert.Equal(["email.complained", "email.delivered", "email.sent"], events.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["grumpy@customer.example"], events["email.complained"]["data"]!["to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("complained", email!["last_event"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_mail_goes_to_resends_bounce_test_address_Should_bounce_without_being_designated()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        using var client = _factory.ResendWithOwnKey();

        await client.SendEmailIdAsync(ResendCalls.Email("bounced@resend.dev"));
        var events = await EventsAsync(2);

        Assert.Contains("email.bounced", events.Keys);
    }

    [Fact]
    public async Task When_a_designation_is_removed_Should_deliver_normally()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        await _factory.DesignateAsync("back@customer.example", "bounced");
        using var control = _factory.CreateClient();
        using var removed = await control.DeleteAsync("/sandbox/resend/recipients/back@customer.example");
        using var client = _factory.ResendWithOwnKey();

        await client.SendEmailIdAsync(ResendCalls.Email("back@customer.example"));
        var events = await EventsAsync(2);

        Assert.Equal(204, (int)removed.StatusCode);
        Assert.Equal(["email.delivered", "email.sent"], events.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_an_endpoint_subscribes_to_some_events_Should_receive_only_those()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/delivered-only"), "email.delivered");
        await using var everything = await WebhookReceiver.StartAsync();
        await _factory.AddWebhookAsync(everything.Url("/all"));
        using var client = _factory.ResendWithOwnKey();

        await client.SendEmailIdAsync(ResendCalls.Email());
        var all = await everything.WaitForAsync(2, Patience);
        var delivered = await _receiver.WaitForAsync(1, Patience);
        await Task.Delay(300);

        Assert.Single(_receiver.Received);
        Assert.Equal("email.delivered", JsonNode.Parse(delivered[0].Body)!["type"]!.GetValue<string>());
        var sameEvent = all.Single(r => r.SvixId == delivered[0].SvixId);
        Assert.Equal(delivered[0].Body, sameEvent.Body);
    }

    [Fact]
    public async Task When_a_send_is_replayed_by_its_idempotency_key_Should_raise_one_set_of_events()
    {
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        var key = Guid.NewGuid().ToString();

        var first = await client.SendEmailIdAsync(body, key);
        var replayed = await client.SendEmailIdAsync(body, key);
        await _receiver.WaitForAsync(2, Patience);
        await Task.Delay(500);

        Assert.Equal(first, replayed);
        Assert.Equal(2, _receiver.Received.Count);
        Assert.Equal(["email.delivered", "email.sent"], _receiver.Received.Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Events name the Message-ID the email went out with (<c>data.message_id</c>), which the recipient's client answers:
    /// the one the request set, or, with <c>MailSandbox:ResendReplacesMessageIds</c>, one of Amazon SES's instead, as SES
    /// may do; the recipient's copy carries the same.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_an_email_sets_its_message_id_Should_name_the_one_it_went_out_with_in_its_events(bool replaces)
    {
        _factory.Settings["MailSandbox:ResendReplacesMessageIds"] = replaces ? "true" : "false";
        await _factory.AddWebhookAsync(_receiver.Url("/resend"));
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["headers"] = new JsonObject { ["Message-ID"] = "<ours-1@ordersmail.local>" };

        await client.SendEmailIdAsync(body);
        var named = (await EventsAsync(2)).Values.Select(e => e["data"]!["message_id"]!.GetValue<string>()).Distinct().ToList();

        var messageId = Assert.Single(named);
        Assert.Equal(replaces, messageId != "<ours-1@ordersmail.local>");
        Assert.Equal(replaces, messageId.EndsWith("@email.amazonses.com>", StringComparison.Ordinal));
        var copy = (await _factory.CreateClient().GetFromJsonAsync<JsonObject>("/sandbox/resend/emails"))!["data"]![0]!;
        Assert.Equal(messageId, copy["headers"]!["Message-ID"]!.GetValue<string>());
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static async Task<JsonArray> AttemptsUntilAsync(Func<Task<JsonArray>> probe, Func<JsonArray, bool> condition) =>
        await OrdersMail.Testing.Eventually.Until(probe, condition, Patience, "webhook attempts");

    private async Task<Dictionary<string, JsonObject>> EventsAsync(int count)
    {
        var received = await _receiver.WaitForAsync(count, Patience);
        return received.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToDictionary(e => e["type"]!.GetValue<string>());
    }
}

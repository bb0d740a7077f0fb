using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Logging;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>Valid files go out through the right channel, once, and end in <c>sent/</c>, recorded, with their events published.</summary>
public sealed class Relay_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CapturedLogs _logs = new();

    /// <inheritdoc />
    public void Dispose() => _logs.Dispose();
    /// <summary>An order confirmation: Resend, with our Message-ID, recorded and published as queued then sent.</summary>
    [Fact]
    public async Task Should_send_a_confirmation_through_resend_once_and_record_it()
    {
        using var host = Started();
        var emailId = Guid.NewGuid();
        var subject = $"Your order {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Contains("x_agent_note", await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Sent, name)), StringComparison.Ordinal);

        var row = Assert.Single(await fixture.QueryAsync<(string Provider, string State, string MessageId, string ProviderId, int Attempts, string File, string Delivery, int Rank)>(
            "select provider, send_state, internet_message_id, provider_message_id, attempts, file_name, delivery_state, delivery_rank from outbound_emails where email_id = @emailId",
            new { emailId }));
        Assert.Equal(("resend", "sent", $"<{emailId:N}@ordersmail.local>", 1, name), (row.Provider, row.State, row.MessageId, row.Attempts, row.File));

        // The acceptance is the delivery state's "sent": Resend's email.sent, when it comes, has nothing left to move.
        Assert.Equal(("sent", 2), (row.Delivery, row.Rank));
        var sent = Assert.Single(await fixture.ResendEmailsAsync(), e => e["id"]!.GetValue<string>() == row.ProviderId);

        // Tagged as the relay's, so its webhook events are known as ours before the row has Resend's id.
        Assert.Contains(sent["tags"]!.AsArray(), t => t!["name"]!.GetValue<string>() == RelayTag.Name && t["value"]!.GetValue<string>() == RelayTag.DefaultValue);

        // Marked automatic (RFC 3834), so a customer's auto-responder that follows the RFC leaves it unanswered.
        Assert.Equal("auto-generated", sent["headers"]?["Auto-Submitted"]?.GetValue<string>());

        var events = await PublishedEventsAsync(emailId, 2);
        Assert.Equal(["OutboundEmailQueued", "OutboundEmailSent"], events.Select(e => e.Type[(e.Type.LastIndexOf('.') + 1)..]).Order());
    }

    /// <summary>Deployments sharing one Resend account tell their emails' events apart by the tag's value: each sends its own.</summary>
    [Fact]
    public async Task Should_tag_each_resend_send_with_the_deployments_sender_tag()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:SenderTag"] = "ordersmail-staging" });
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var subject = $"Staging {emailId:N}";
        fixture.Drop($"20250101T000000000Z-{emailId:N}.json", RelayFixture.Email(subject, emailId));

        var sent = await Eventually.Until(
            async () => (await fixture.ResendEmailsAsync()).SingleOrDefault(e => e["subject"]?.GetValue<string>() == subject),
            e => e is not null,
            Patience,
            "the email to reach Resend");
        var tag = Assert.Single(sent!["tags"]!.AsArray());
        Assert.Equal((RelayTag.Name, "ordersmail-staging"), (tag!["name"]!.GetValue<string>(), tag["value"]!.GetValue<string>()));
    }

    /// <summary>
    /// A new Resend email is a batch member: its row, OutboundEmailQueued and its batch (members and exact body) are
    /// committed together before the send (now() is the transaction's start, the same for all three only inside one
    /// transaction), so a lost answer can be resent as the same batch; OutboundEmailSent comes with the acceptance.
    /// </summary>
    [Fact]
    public async Task Should_commit_a_new_emails_batch_membership_with_its_row_before_the_send_and_its_acceptance_after()
    {
        // One request a second leaves no token spare, so even a lone email goes as a batch.
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:RequestsPerSecond"] = "1" });
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email($"Batch member {emailId:N}", emailId));

        var events = await PublishedEventsAsync(emailId, 2);
        var (queuedAt, batchAt, members, body) = Assert.Single(await fixture.QueryAsync<(DateTime, DateTime, Guid[], byte[])>(
            "select e.queued_at, b.created_at, b.email_ids, b.body from outbound_emails e join resend_batches b using (batch_id) where e.email_id = @emailId", new { emailId }));
        Assert.Equal(queuedAt, batchAt);
        Assert.Contains(emailId, members);
        Assert.Contains($"Batch member {emailId:N}", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Contains($$"""{"name":"{{RelayTag.Name}}","value":"{{RelayTag.DefaultValue}}"}""", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(queuedAt, Assert.Single(events, e => e.Type.EndsWith(".OutboundEmailQueued", StringComparison.Ordinal)).CreatedAt);
        Assert.True(Assert.Single(events, e => e.Type.EndsWith(".OutboundEmailSent", StringComparison.Ordinal)).CreatedAt > queuedAt);
    }

    /// <summary>A lone email while Resend's rate leaves room is a single send: no batch and its two commits before it.</summary>
    [Fact]
    public async Task Should_send_a_lone_email_on_its_own_while_the_rate_leaves_room()
    {
        using var host = Started();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email($"Alone {emailId:N}", emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync($"Alone {emailId:N}"));
        Assert.Equal((Guid?)null, Assert.Single(await fixture.QueryAsync<Guid?>("select batch_id from outbound_emails where email_id = @emailId", new { emailId })));
        Assert.Empty(await fixture.QueryAsync<Guid>("select batch_id from resend_batches where @emailId = any(email_ids)", new { emailId }));
    }

    /// <summary>
    /// A lone email's send holds the batcher's slot until it is answered, like a batch: emails arriving one by one
    /// meanwhile (further apart than the batch window) gather into one batch instead of each going alone.
    /// </summary>
    [Fact]
    public async Task Should_batch_the_emails_that_arrive_one_by_one_while_a_lone_send_is_out()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:AttemptTimeout"] = "00:00:30" });
        _ = host.Server;

        // A first email through a started relay, so the stream's first email is picked up at once, not behind a cold start.
        var warm = $"20250101T000000000Z-{Guid.NewGuid():N}.json";
        fixture.Drop(warm, RelayFixture.Email($"Warm {warm}", Guid.NewGuid()));
        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, warm))), sent => sent, Patience, "the first file to reach sent/");

        using var faults = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.*", answer_delay_ms = 5_000, times = 1 });
        faults.EnsureSuccessStatusCode();
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        fixture.Drop($"20250101T000000000Z-{ids[0]:N}.json", RelayFixture.Email($"Stream {ids[0]:N}", ids[0]));

        // The others follow only once the first one's send is at Resend (the fault, used once, is gone), however busy the machine.
        await Eventually.Until(
            () => fixture.Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults"),
            listed => listed!["faults"]!.AsArray().Count == 0,
            Patience,
            "the first email's send to reach Resend");
        foreach (var emailId in ids.Skip(1))
        {
            fixture.Drop($"20250101T000000000Z-{emailId:N}.json", RelayFixture.Email($"Stream {emailId:N}", emailId));
            await Task.Delay(50);
        }

        var rows = await Eventually.Until(
            () => fixture.QueryAsync<(Guid EmailId, Guid? BatchId)>("select email_id, batch_id from outbound_emails where email_id = any(@ids) and send_state = 'sent'", new { ids }),
            sent => sent.Count == ids.Count,
            Patience,
            "all six emails sent");
        Assert.Null(rows.Single(r => r.EmailId == ids[0]).BatchId);
        var batch = Assert.Single(rows.Where(r => r.EmailId != ids[0]).Select(r => r.BatchId).Distinct());
        Assert.NotNull(batch);
        foreach (var emailId in ids)
        {
            Assert.Equal(1, await fixture.SendsOfAsync($"Stream {emailId:N}"));
        }
    }

    /// <summary>
    /// A slow provider: the row and OutboundEmailQueued are committed (with the batch) while the send waits,
    /// so the order shows the email queued; the acceptance is recorded later, once, in a commit of its own.
    /// </summary>
    [Fact]
    public async Task Should_record_an_email_as_queued_while_a_slow_provider_has_not_answered()
    {
        using var faults = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.*", answer_delay_ms = 8_000, times = 1 });
        faults.EnsureSuccessStatusCode();
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:AttemptTimeout"] = "00:00:30" });
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var subject = $"Slow provider {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        var pending = await Eventually.Until(
            () => fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId }),
            rows => rows.Count == 1,
            Patience,
            "the email's row while Resend holds its answer");
        Assert.Equal("pending", Assert.Single(pending));
        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Sent, name)), "Resend answers only after 8 s, so the file cannot be in sent/ yet");

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        var events = await PublishedEventsAsync(emailId, 2);
        var queued = Assert.Single(events, e => e.Type.EndsWith(".OutboundEmailQueued", StringComparison.Ordinal));
        var sentEvent = Assert.Single(events, e => e.Type.EndsWith(".OutboundEmailSent", StringComparison.Ordinal));
        Assert.True(queued.CreatedAt < sentEvent.CreatedAt, $"queued at {queued.CreatedAt:O}, before the acceptance at {sentEvent.CreatedAt:O}");
    }

    /// <summary>"cc": null and "bcc": null say there are no copy recipients, as leaving them out does: the email is sent.</summary>
    [Fact]
    public async Task Should_send_an_email_whose_cc_and_bcc_are_null()
    {
        using var host = Started();
        var emailId = Guid.NewGuid();
        var subject = $"Null copies {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var email = JsonNode.Parse(RelayFixture.Email(subject, emailId))!.AsObject();
        email["cc"] = null;
        email["bcc"] = null;
        fixture.Drop(name, email.ToJsonString());

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        var sent = Assert.Single(await fixture.ResendEmailsAsync(), e => e["subject"]!.GetValue<string>() == subject);
        Assert.Equal(["jane@example.com"], sent["to"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    /// <summary>An agent reply: AgentMail's reply endpoint from the customer's inbox, its message_id recorded as the Message-ID.</summary>
    [Fact]
    public async Task Should_send_an_agent_reply_through_agentmail_in_the_customers_thread()
    {
        using var host = Started();
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var reply = RelayFixture.AgentReply(emailId, inboxId, messageId);
        fixture.Drop(name, reply.ToJsonString());

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the reply to reach sent/");
        var row = Assert.Single(await fixture.QueryAsync<(string Provider, string MessageId, string ProviderId, string Delivery)>(
            "select provider, internet_message_id, provider_message_id, delivery_state from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("agentmail", "sent"), (row.Provider, row.Delivery));
        Assert.Equal(row.ProviderId, row.MessageId);
        Assert.Equal(0, await fixture.SendsOfAsync("Re: Where is my order?"));
    }

    /// <summary>
    /// An agent reply goes to the file's recipients (the verified sender), not to the Reply-To of the message answered,
    /// which nobody verified: AgentMail answers the Reply-To when the reply names no one, and the answer to a message
    /// from the customer's address asking replies to go elsewhere would carry the order's details there.
    /// </summary>
    [Fact]
    public async Task Should_send_an_agent_reply_to_its_files_recipients_and_not_to_the_reply_to_of_the_message_answered()
    {
        using var host = Started();
        var (inboxId, messageId) = await fixture.ReceivedMessageAsync("Jane <jane@example.com>", "stranger@evil.example");
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the reply to reach sent/");

        Assert.Equal(["jane@example.com"], Assert.Single(await fixture.RepliesToAsync(inboxId, messageId)));
    }

    /// <summary>
    /// An agent reply says it is one (RFC 3834 <c>Auto-Submitted: auto-replied</c>) through the reply request's headers:
    /// a customer's auto-responder that follows the RFC then does not answer it, an answer the agent would answer again.
    /// </summary>
    [Fact]
    public async Task Should_send_an_agent_reply_marked_auto_replied()
    {
        using var host = Started();
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the reply to reach sent/");

        var reply = Assert.Single(await fixture.RepliesAsync(inboxId, messageId));
        Assert.Equal("auto-replied", reply["headers"]?["Auto-Submitted"]?.GetValue<string>());
    }

    /// <summary>
    /// An email Resend refuses (a reply_to that is no address): counted in ordersmail.relay.failed, which ops alert on,
    /// and logged once at Warning naming the file, the email, its order, the channel and Resend's answer, within the
    /// order's trace, whose outbox send span ends in error. It went to failed/ with no line at all, leaving ops a count
    /// and nothing to find the email by.
    /// </summary>
    [Fact]
    public async Task Should_log_an_email_the_provider_refuses_once_at_warning_naming_it_in_its_orders_trace()
    {
        var spans = new ExportedSpanCollection();
        using var relay = new RelayHost(fixture);
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)).ConfigureServices(spans.ExportFrom));
        _ = host.Server;
        var email = TracedEmail.New(Guid.NewGuid().ToString("N")[..8]);
        fixture.Drop(email.Name, email.Json($"Refused {email.EmailId:N}", e => e["reply_to"] = "not an address"));

        Assert.Equal("failed", await fixture.UntilSettledAsync(email.Name, Patience));

        var logged = Assert.Single(_logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains(email.EmailId.ToString(), StringComparison.Ordinal));
        Assert.Equal(typeof(OutboxFileProcessor).FullName, logged.Category);
        Assert.Equal(email.TraceId.ToString(), logged.TraceId);
        foreach (var words in new[] { email.Name, email.OrderRef, email.OrderId.ToString(), "resend", "validation_error" })
        {
            Assert.Contains(words, logged.Message, StringComparison.Ordinal);
        }

        var send = await Eventually.Until(
            () => Task.FromResult(spans.InTrace(email.TraceId).FirstOrDefault(s => s.DisplayName == "outbox send")), s => s is not null, Patience, "the email's outbox send span to be exported");
        Assert.Equal(ActivityStatusCode.Error, send!.Status);
        Assert.Contains("validation_error", send.StatusDescription, StringComparison.Ordinal);
    }

    /// <summary>A second file with an email_id already picked up is not sent again: it goes to sent/ as a recorded duplicate.</summary>
    [Fact]
    public async Task Should_not_send_a_second_file_with_the_same_email_id()
    {
        using var host = Started();
        var emailId = Guid.NewGuid();
        var subject = $"Receipt {emailId:N}";
        fixture.Drop($"20250101T000000000Z-a-{emailId:N}.json", RelayFixture.Email(subject, emailId));
        await Eventually.Until(() => fixture.SendsOfAsync(subject), sends => sends == 1, Patience, "the first file to be sent");
        var second = $"20250101T000000001Z-b-{emailId:N}.json";
        fixture.Drop(second, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, second))), sent => sent, Patience, "the duplicate to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Single(await fixture.QueryAsync<string>("select file_name from outbound_email_duplicates where email_id = @emailId", new { emailId }), second);
    }

    private Task<IReadOnlyList<(string Type, DateTime CreatedAt)>> PublishedEventsAsync(Guid emailId, int count) => Eventually.Until(
        () => fixture.QueryAsync<(string Type, DateTime CreatedAt)>(
            "select message_type, created_at from outbox_messages where published_at is not null and payload::text like '%' || @id || '%'", new { id = emailId.ToString() }),
        published => published.Count == count,
        Patience,
        $"{count} events of email {emailId} to be published");

    private RelayHost Started()
    {
        var host = new RelayHost(fixture);
        _ = host.Server;
        return host;
    }
}

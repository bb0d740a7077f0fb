using System.Net;
using System.Text.Json;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Events;

/// <summary>
/// Mail sent from a customer's inbox: AgentMail's signed <c>message.sent</c>, <c>message.delivered</c>,
/// <c>message.bounced</c>, <c>message.complained</c> and <c>message.rejected</c>, delivered by the sandbox, become
/// <c>AgentMailDeliveryReported</c> for the delivery tracker.
/// </summary>
public sealed class DeliveryFacts_Specs : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] DeliveryEventTypes = ["message.sent", "message.delivered", "message.bounced"];
    private static readonly string[] ComplaintAndRejection = ["message.complained", "message.rejected"];
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_publish_sent_delivered_and_bounced_as_delivery_reports_of_the_sent_message()
    {
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-FACTS");
        await _world.PublishAsync(new InboxReady(Guid.NewGuid(), "ORD-FACTS", "user_facts", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await _world.BounceAsync("gone@acme.example");

        var delivered = await _world.SendFromAsync(inboxId, "jane@acme.example");
        var bounced = await _world.SendFromAsync(inboxId, "gone@acme.example");

        var reports = (await _world.WaitForAsync<AgentMailDeliveryReported>(_ => true, count: 4))
            .Select(r => r.Deserialize<AgentMailDeliveryReported>(Json)!)
            .ToList();
        (string, DeliveryState)[] expected =
            [(delivered, DeliveryState.Sent), (delivered, DeliveryState.Delivered), (bounced, DeliveryState.Sent), (bounced, DeliveryState.Bounced)];
        Assert.Equal(expected.Order(), reports.Select(r => (r.ProviderMessageId, r.State)).Order());
        Assert.All(reports, r => Assert.Equal(inboxId, r.InboxId));
        Assert.All(reports, r => Assert.StartsWith("evt_", r.EventId, StringComparison.Ordinal));
        Assert.Equal(4, reports.Select(r => r.EventId).Distinct().Count());
        Assert.All(reports, r => Assert.InRange(r.OccurredAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        var bounce = reports.Single(r => r.State == DeliveryState.Bounced);
        Assert.Equal("Permanent General", bounce.Detail);

        // Apart, for the tracker to tell a soft bounce (to be sent again) from a final one.
        Assert.Equal(("Permanent", "General"), (bounce.BounceType, bounce.BounceSubType));
        Assert.All(reports.Where(r => r.State != DeliveryState.Bounced), r => Assert.Equal((null, null, null), (r.Detail, r.BounceType, r.BounceSubType)));
        var attempts = DeliveryEventTypes.Select(t => _world.AnsweredAttemptsAsync(t, count: t == "message.sent" ? 2 : 1));
        Assert.All((await Task.WhenAll(attempts)).SelectMany(a => a), a => Assert.Equal(202, a["status_code"]!.GetValue<int>()));
        Assert.Equal(4, await _world.CountAsync("received_events"));
    }

    [Fact]
    public async Task Should_publish_a_complaint_as_complained_and_a_rejection_as_failed_with_its_reason()
    {
        var (inboxId, webhookId, _) = await _world.ProvisionAsync("ORD-SPAM");
        await _world.PublishAsync(new InboxReady(Guid.NewGuid(), "ORD-SPAM", "user_spam", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await _world.MarkAsync("complaining", "spam-button@acme.example");
        await _world.MarkAsync("rejecting", "blocked@acme.example");

        var complained = await _world.SendFromAsync(inboxId, "spam-button@acme.example");
        var rejected = await _world.SendFromAsync(inboxId, "blocked@acme.example");

        var reports = (await _world.WaitForAsync<AgentMailDeliveryReported>(_ => true, count: 4))
            .Select(r => r.Deserialize<AgentMailDeliveryReported>(Json)!)
            .ToList();
        (string, DeliveryState)[] expected =
            [(complained, DeliveryState.Sent), (complained, DeliveryState.Delivered), (complained, DeliveryState.Complained), (rejected, DeliveryState.Failed)];
        Assert.Equal(expected.Order(), reports.Select(r => (r.ProviderMessageId, r.State)).Order());
        Assert.Equal("abuse", reports.Single(r => r.State == DeliveryState.Complained).Detail);
        Assert.Equal("rejected by AgentMail: blocked@acme.example is on the sandbox's reject list", reports.Single(r => r.State == DeliveryState.Failed).Detail);
        var attempts = await Task.WhenAll(ComplaintAndRejection.Select(t => _world.AnsweredAttemptsAsync(t)));
        Assert.All(attempts, a => Assert.Contains(a, attempt => attempt["status_code"]!.GetValue<int>() == 202));
    }
    /// <summary>
    /// A rejection's reason is cut to 500 characters; cut between the halves of an emoji, the lone half left reached the
    /// order as a "�" before the mark.
    /// </summary>
    [Fact]
    public async Task When_the_reason_is_cut_inside_an_emoji_Should_report_it_cut_before_the_emoji()
    {
        var (inboxId, _, secret) = await _world.ProvisionAsync("ORD-EMOJI");
        var prefix = "rejected by AgentMail: ";
        var reason = new string('r', 500 - prefix.Length - 1) + string.Concat(Enumerable.Repeat("\U0001F4E7", 10));
        var messageId = $"<{Guid.NewGuid():N}@agentmail.example>";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "event",
            ["event_type"] = "message.rejected",
            ["event_id"] = $"evt_{Guid.NewGuid():N}",
            ["reject"] = new { inbox_id = inboxId, thread_id = Guid.NewGuid().ToString(), message_id = messageId, timestamp = DateTimeOffset.UtcNow, reason },
        });

        using var answer = await _world.PostSignedAsync(body, secret);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var report = (await _world.WaitForAsync<AgentMailDeliveryReported>(r => r.GetProperty("providerMessageId").GetString() == messageId))
            .Single().Deserialize<AgentMailDeliveryReported>(Json)!;
        Assert.Equal($"{prefix}{reason[..(500 - prefix.Length - 1)]}…", report.Detail);
    }
}

using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>AgentMail's delivery facts, published on the real broker as the inbound-router publishes them.</summary>
public sealed class AgentMailDeliveryReported_Specs(TrackerFixture fixture) : IClassFixture<TrackerFixture>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-1);

    [Fact]
    public async Task When_AgentMail_reports_a_reply_delivered_Should_move_it_and_publish_the_change_once_on_the_bus()
    {
        var (messageId, orderId) = ($"<{Guid.NewGuid():N}@agentmail.to>", Guid.NewGuid());
        var emailId = await fixture.Database.SeedEmailAsync("agentmail", messageId, orderId);
        var published = new ConcurrentQueue<DeliveryStateChanged>();
        var bus = fixture.Tracker.Services.GetRequiredService<IBus>();
        var listener = bus.ConnectReceiveEndpoint($"test-delivery-state-changed-{Guid.NewGuid():N}", e => e.Handler<DeliveryStateChanged>(context =>
        {
            if (context.Message.EmailId == emailId)
            {
                published.Enqueue(context.Message);
            }

            return Task.CompletedTask;
        }));
        await listener.Ready;
        try
        {
            var sent = NewId.NextGuid();
            await PublishAsync(Reported(messageId, DeliveryState.Sent, T0), sent);
            await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0.AddSeconds(1)));
            await PublishAsync(Reported(messageId, DeliveryState.Sent, T0), sent);

            Assert.Equal("delivered", (await fixture.Database.StateOfAsync(emailId)).State);
            await Eventually.Until(() => Task.FromResult(published.Count), n => n >= 2, TimeSpan.FromSeconds(15), "both changes on the bus");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.Equal(
                [(DeliveryState.Queued, DeliveryState.Sent), (DeliveryState.Sent, DeliveryState.Delivered)],
                published.Select(c => (c.PreviousState, c.State)).OrderBy(p => p.State));
            Assert.All(published, c => Assert.Equal((orderId, EmailProvider.AgentMail), (c.OrderId, c.Provider)));
        }
        finally
        {
            await listener.StopAsync();
        }
    }

    [Fact]
    public async Task When_a_bounce_follows_delivered_Should_bounce_and_a_late_delivered_should_not_undo_it()
    {
        var messageId = $"<{Guid.NewGuid():N}@agentmail.to>";
        var emailId = await fixture.Database.SeedEmailAsync("agentmail", messageId);

        await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0));
        await PublishAsync(Reported(messageId, DeliveryState.Bounced, T0.AddSeconds(1), "mailbox full"));
        await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0.AddSeconds(2)));

        Assert.Equal(("bounced", 5, "mailbox full"), await fixture.Database.StateOfAsync(emailId));
        Assert.Equal([DeliveryState.Delivered, DeliveryState.Bounced], (await fixture.Database.ChangesOfAsync(emailId)).Select(c => c.State));
    }

    [Theory]
    [InlineData(DeliveryState.Complained, "complained", 6, "abuse")]
    [InlineData(DeliveryState.Failed, "failed", 7, "rejected by AgentMail: suppressed")]
    public async Task When_a_delivered_reply_is_complained_about_or_rejected_Should_end_there(DeliveryState state, string name, int rank, string detail)
    {
        var messageId = $"<{Guid.NewGuid():N}@agentmail.to>";
        var emailId = await fixture.Database.SeedEmailAsync("agentmail", messageId);

        await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0));
        await PublishAsync(Reported(messageId, state, T0.AddSeconds(1), detail));
        await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0.AddSeconds(2)));

        Assert.Equal((name, rank, detail), await fixture.Database.StateOfAsync(emailId));
        Assert.Equal([DeliveryState.Delivered, state], (await fixture.Database.ChangesOfAsync(emailId)).Select(c => c.State));
    }

    /// <summary>
    /// A soft bounce (AgentMail passes on SES's type) leaves the reply to be sent again: bounced on its timeline, failed for
    /// the relay (its file's move to failed/ is SoftBounceSendAgain_Specs'). Every bounce was final, the reply lost for a
    /// mailbox full for an hour.
    /// </summary>
    [Theory]
    [InlineData("Transient", "MailboxFull", "failed", "soft bounce (Transient, MailboxFull): send again once the mailbox takes mail; the provider said: Transient MailboxFull")]
    [InlineData("Undetermined", null, "failed", "soft bounce (Undetermined): send again once the mailbox takes mail; the provider said: Undetermined")]
    [InlineData("Permanent", "General", "sent", null)]
    public async Task When_AgentMail_reports_a_bounce_Should_leave_the_reply_to_be_sent_again_unless_it_is_permanent(string type, string? subType, string sendState, string? lastError)
    {
        var messageId = $"<{Guid.NewGuid():N}@agentmail.to>";
        var emailId = await fixture.Database.SeedEmailAsync("agentmail", messageId);
        var detail = string.Join(' ', new[] { type, subType }.OfType<string>());

        await PublishAsync(Reported(messageId, DeliveryState.Bounced, T0, detail) with { BounceType = type, BounceSubType = subType });
        await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0.AddSeconds(1)));

        Assert.Equal(("bounced", 5, detail), await fixture.Database.StateOfAsync(emailId));
        Assert.Equal((sendState, lastError), await fixture.Database.SendStateOfAsync(emailId));
    }

    [Fact]
    public async Task When_a_soft_bounce_comes_before_the_relays_row_Should_leave_the_reply_to_be_sent_again_once_applied()
    {
        var messageId = $"<{Guid.NewGuid():N}@agentmail.to>";

        await PublishAsync(Reported(messageId, DeliveryState.Bounced, T0, "Transient MailboxFull") with { BounceType = "Transient", BounceSubType = "MailboxFull" });
        var emailId = await fixture.Database.SeedEmailAsync("agentmail", messageId);

        await Eventually.Until(() => fixture.Database.StateOfAsync(emailId), s => s.State == "bounced", TimeSpan.FromSeconds(10), "the kept bounce to be applied");
        var (sendState, lastError) = await fixture.Database.SendStateOfAsync(emailId);
        Assert.Equal("failed", sendState);
        Assert.StartsWith("soft bounce (Transient, MailboxFull)", lastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_fact_changes_nothing_Should_record_no_processed_message()
    {
        var messageId = $"<{Guid.NewGuid():N}@agentmail.to>";
        await fixture.Database.SeedEmailAsync("agentmail", messageId);
        var (delivered, lateSent, earlySent) = (NewId.NextGuid(), NewId.NextGuid(), NewId.NextGuid());

        await PublishAsync(Reported(messageId, DeliveryState.Delivered, T0), delivered);
        await PublishAsync(Reported(messageId, DeliveryState.Sent, T0.AddSeconds(-1)), lateSent);
        await PublishAsync(Reported($"<{Guid.NewGuid():N}@agentmail.to>", DeliveryState.Sent, T0), earlySent);

        Assert.Equal([delivered], await fixture.Database.ProcessedAsync(AgentMailDeliveryReportedConsumer.Name, delivered, lateSent, earlySent));
    }

    [Fact]
    public async Task When_the_fact_comes_before_the_relays_row_Should_apply_it_once_the_row_appears()
    {
        var messageId = $"<{Guid.NewGuid():N}@agentmail.to>";

        await PublishAsync(Reported(messageId, DeliveryState.Bounced, T0, "no such user"));
        var emailId = await fixture.Database.SeedEmailAsync("agentmail", messageId);

        var state = await Eventually.Until(() => fixture.Database.StateOfAsync(emailId), s => s.State == "bounced", TimeSpan.FromSeconds(10), "the kept fact to be applied");
        Assert.Equal("no such user", state.Detail);
    }

    private static AgentMailDeliveryReported Reported(string messageId, DeliveryState state, DateTimeOffset at, string? detail = null) =>
        new($"evt_{Guid.NewGuid():N}", "jane-1@agentmail.to", messageId, state, detail, at);

    /// <summary>Publishes on the broker and waits until the tracker's consumer has handled it.</summary>
    private async Task PublishAsync(AgentMailDeliveryReported message, Guid? messageId = null)
    {
        var bus = fixture.Tracker.Services.GetRequiredService<IBus>();
        var consumed = new ConsumedMessages(AgentMailDeliveryReportedConsumer.Name);
        var handle = bus.ConnectConsumeObserver(consumed);
        try
        {
            var id = messageId ?? NewId.NextGuid();
            await bus.Publish(message, context => context.MessageId = id);
            await consumed.WaitForAsync(id);
            Assert.Empty(consumed.Faults);
        }
        finally
        {
            handle.Disconnect();
        }
    }
}

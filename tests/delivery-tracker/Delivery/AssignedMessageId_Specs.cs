using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>
/// Resend sends through Amazon SES, which may replace the Message-ID the relay chose; its email events then name the
/// one the recipient got (<c>data.message_id</c>), which a reply answers. The tracker publishes it once per email
/// (<see cref="OutboundMessageIdAssigned"/>), however often and in whatever form the events name it, and never ours.
/// </summary>
public sealed class AssignedMessageId_Specs(TrackerFixture fixture) : IClassFixture<TrackerFixture>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-1);

    [Fact]
    public async Task When_sent_and_delivered_name_a_message_id_not_ours_Should_publish_it_once_with_the_order()
    {
        var (resendId, orderId, assigned) = (NewResendId(), Guid.NewGuid(), $"<0100019a{Guid.NewGuid():N}@email.amazonses.com>");
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId, orderId, Ours(resendId));
        var sent = ResendWebhooks.Event("email.sent", resendId, T0, MessageId(assigned));
        const string sentSvixId = "msg_sent_assigned";

        // Svix's retry of the same delivery, then delivered naming the same id without its angle brackets.
        await PostAsync(ResendWebhooks.Sign(sent, fixture.Secret, sentSvixId));
        await PostAsync(ResendWebhooks.Sign(sent, fixture.Secret, sentSvixId));
        await PostAsync(ResendWebhooks.Sign(ResendWebhooks.Event("email.delivered", resendId, T0.AddSeconds(1), MessageId(assigned[1..^1])), fixture.Secret));

        Assert.Equal([new OutboundMessageIdAssigned(emailId, orderId, EmailProvider.Resend, assigned)], await fixture.Database.AssignedOfAsync(emailId));
        Assert.Equal("delivered", (await fixture.Database.StateOfAsync(emailId)).State);
    }

    [Fact]
    public async Task When_an_event_names_our_own_message_id_Should_publish_nothing_and_record_nothing()
    {
        var resendId = NewResendId();
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId, Guid.NewGuid(), Ours(resendId));
        await PostAsync(ResendWebhooks.Sign(ResendWebhooks.Event("email.delivered", resendId, T0), fixture.Secret));
        const string svixId = "msg_sent_ours";

        await PostAsync(ResendWebhooks.Sign(ResendWebhooks.Event("email.sent", resendId, T0.AddSeconds(-1), MessageId(Ours(resendId))), fixture.Secret, svixId));

        Assert.Empty(await fixture.Database.AssignedOfAsync(emailId));
        Assert.Empty(await fixture.Database.RecordedWebhooksAsync(svixId));
    }

    [Fact]
    public async Task When_the_event_naming_it_comes_before_the_emails_row_Should_publish_it_once_the_row_is_there()
    {
        var (resendId, orderId, assigned) = (NewResendId(), Guid.NewGuid(), $"<0100019a{Guid.NewGuid():N}@email.amazonses.com>");

        await PostAsync(ResendWebhooks.Sign(ResendWebhooks.Event("email.delivered", resendId, T0, MessageId(assigned)), fixture.Secret));
        var emailId = await fixture.Database.SeedEmailAsync("resend", resendId, orderId, Ours(resendId));

        await Eventually.Until(() => fixture.Database.AssignedOfAsync(emailId), a => a.Count > 0, TimeSpan.FromSeconds(10), "the kept event's Message-ID to be published");
        Assert.Equal([new OutboundMessageIdAssigned(emailId, orderId, EmailProvider.Resend, assigned)], await fixture.Database.AssignedOfAsync(emailId));
    }

    private static string NewResendId() => Guid.NewGuid().ToString();

    private static string Ours(string resendId) => $"<{resendId}@ordersmail.local>";

    private static JsonObject MessageId(string messageId) => new() { ["message_id"] = messageId };

    private async Task PostAsync(HttpRequestMessage request)
    {
        using (request)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.SendAsync(request)).StatusCode);
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Tests.Support;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>
/// <c>ordersmail.delivery.states</c> over an email's whole life: the relay's record of the provider's acceptance is its
/// move to sent, the provider's webhooks the moves after it. The acceptance counted nothing, and Resend's email.sent
/// then found the row sent already: the counter had no sent series, so bounced/sent could not be charted.
/// </summary>
public sealed class DeliveryStatesMetric_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string Secret = $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";

    [Fact]
    public async Task Should_count_an_email_sent_through_the_relay_as_sent_once_and_its_delivery_once()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:WebhookSecret"] = Secret });
        using var client = host.CreateClient();
        using var states = new RelayInstruments(host.Services, DeliveryTelemetry.States);
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email($"States {emailId:N}", emailId));

        Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        Assert.Equal(1, states.Counted(DeliveryTelemetry.States, "provider=resend,state=sent"));

        var resendId = Assert.Single(await fixture.QueryAsync<string>("select provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));
        foreach (var (type, second) in new[] { ("email.sent", 1), ("email.delivered", 2) })
        {
            using var answer = await client.SendAsync(ResendWebhooks.Sign(ResendWebhooks.Event(type, resendId, DateTimeOffset.UtcNow.AddSeconds(second)), Secret));
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        Assert.Equal(1, states.Counted(DeliveryTelemetry.States, "provider=resend,state=sent"));
        Assert.Equal(1, states.Counted(DeliveryTelemetry.States, "provider=resend,state=delivered"));
    }
}

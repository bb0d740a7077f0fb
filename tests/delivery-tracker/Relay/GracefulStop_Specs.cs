using System.Net.Http.Json;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A relay stopped (a deploy) while a send is in flight lets it be answered and recorded within its grace. Cancelled,
/// the answer was lost and the next relay sent the email again under its key, which the provider refuses as another
/// payload when the next version builds the request otherwise.
/// </summary>
public sealed class GracefulStop_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_record_an_agent_reply_in_flight_when_the_relay_stops()
    {
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        using var fault = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "agentmail", operation = "messages.reply", latency_ms = 2_000, times = 1 });
        fault.EnsureSuccessStatusCode();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var host = new RelayHost(fixture);
        try
        {
            _ = host.Server;
            fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());

            // Picked up (its row commits before the send), so the send is in flight, held 2 s by AgentMail.
            await Eventually.Until(
                () => fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId }),
                rows => rows.Count == 1,
                Patience,
                "the reply's row before its send");
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Equal("sent", Assert.Single(await fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId })));
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Sent, name)), $"{name} in sent/");
        Assert.Single(await fixture.RepliesToAsync(inboxId, messageId));
    }
}

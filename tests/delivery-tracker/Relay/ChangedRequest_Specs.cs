using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// An email whose send's answer was lost, picked up again by a version (or under settings) that builds its request
/// otherwise: Resend refuses the key with another payload for a day. The email most likely went out, so it goes to
/// failed/ at once saying so, not after every attempt's backoff with a reason that invites sending it again.
/// </summary>
public sealed class ChangedRequest_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] Recipients = ["jane@example.com"];

    [Fact]
    public async Task Should_fail_an_email_whose_key_resend_holds_with_another_request_at_its_first_attempt_saying_it_most_likely_went_out()
    {
        var emailId = Guid.NewGuid();
        var subject = $"Changed request {emailId:N}";
        using (var earlier = new HttpRequestMessage(HttpMethod.Post, $"{fixture.Sandbox.ResendBaseUrl}/emails"))
        {
            // Under the relay's own key: Resend keeps an idempotency key per API key, as the sandbox does.
            earlier.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestProviderSettings.Values["Resend:ApiKey"]);
            earlier.Headers.Add("Idempotency-Key", EmailIdentity.IdempotencyKey(emailId));
            earlier.Content = JsonContent.Create(new { from = "OrdersMail <orders@example.com>", to = Recipients, subject, text = "As an older version built it." });
            using var accepted = await fixture.Sandbox.Http.SendAsync(earlier);
            accepted.EnsureSuccessStatusCode();
        }

        using var host = new RelayHost(fixture);
        _ = host.Server;
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        Assert.Equal("failed", await fixture.UntilSettledAsync(name, Patience));
        await fixture.AssertGaveUpAsync(emailId, name, 1, "most likely went out");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
    }

    /// <summary>
    /// AgentMail answers 409 alike to another request under the key and to one still in flight, so the reply is tried
    /// until its last attempt; its reason then says it may have gone out, not only that AgentMail did not accept it.
    /// </summary>
    [Fact]
    public async Task Should_fail_an_agent_reply_whose_key_agentmail_holds_with_another_request_saying_it_may_have_gone_out()
    {
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        using (var agentMail = fixture.AgentMailApi())
        using (var earlier = new HttpRequestMessage(HttpMethod.Post, $"v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages/{Uri.EscapeDataString(messageId)}/reply"))
        {
            earlier.Headers.Add("Idempotency-Key", EmailIdentity.IdempotencyKey(emailId));
            earlier.Content = JsonContent.Create(new { text = "As an older version built it.", to = Recipients });
            using var accepted = await agentMail.SendAsync(earlier);
            accepted.EnsureSuccessStatusCode();
        }

        using var host = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["DeliveryTracker:Relay:MaxAttempts"] = "2",
            ["DeliveryTracker:Relay:RetryBaseDelay"] = "00:00:00.100",
            ["DeliveryTracker:Relay:RetryMaxDelay"] = "00:00:00.100",
        });
        _ = host.Server;
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());

        Assert.Equal("failed", await fixture.UntilSettledAsync(name, Patience));
        await fixture.AssertGaveUpAsync(emailId, name, 2, "may have gone out");
        Assert.Single(await fixture.RepliesToAsync(inboxId, messageId));
    }
}

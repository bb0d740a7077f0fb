using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary>
/// A soft bounce (Resend's <c>email.bounced</c> with <c>bounce.type</c> Transient: the customer's mailbox full) leaves
/// the email to be sent again: it stays bounced on its timeline, and its file goes to <c>failed/</c>, where
/// <c>GET /outbox/failed</c> lists it and send-again takes it. Every bounce was final: the file stayed in <c>sent/</c>,
/// send-again answered 404 (409 on the file put there by hand), and the confirmation, which carries the customer's
/// reply address, was lost for a mailbox full for an hour. A permanent bounce stays as final as before.
/// </summary>
public sealed class SoftBounceSendAgain_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string Secret = $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";

    [Fact]
    public async Task When_the_mailbox_is_full_Should_stay_bounced_list_the_email_and_send_it_again_once()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:WebhookSecret"] = Secret });
        using var http = host.CreateClient().WithOpsKey();
        var (emailId, subject, name, resendId) = await SentAsync("Mailbox full");

        await PostAsync(http, Bounced(resendId, "Transient", "MailboxFull", "The recipient's mailbox is full"));

        var entry = await Eventually.Until(
            () => ListedAsync(http, name),
            listed => listed is not null,
            Patience,
            "GET /outbox/failed to list the soft-bounced email");
        Assert.Equal(emailId, entry!["email_id"]!.GetValue<Guid>());
        Assert.StartsWith("soft bounce (Transient, MailboxFull): send again once the mailbox takes mail", entry["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Sent, name)), "the file moved from sent/ to failed/");

        // A late delivered (Svix does not keep order) leaves the bounce on the timeline: states only move forward.
        await PostAsync(http, ResendWebhooks.Event("email.delivered", resendId, DateTimeOffset.UtcNow.AddSeconds(-30)));
        Assert.Equal(("bounced", "failed"), await StatesOfAsync(emailId));

        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var copy = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        var copyId = EmailIdentity.SendAgainOf(emailId);
        Assert.Equal(copyId, copy["email_id"]!.GetValue<Guid>());
        await Eventually.Until(
            () => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, copy["file"]!.GetValue<string>()))), found => found, Patience, "the copy to reach sent/");
        using var again = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(2, await fixture.SendsOfAsync(subject));

        // The copy is tracked as an email of its own, from its own acceptance, whatever its original went through.
        var (delivery, send) = await StatesOfAsync(copyId);
        Assert.Equal("sent", send);
        Assert.True(delivery is "sent" or "delivered", $"the copy's delivery state is its own, not {delivery}");
    }

    [Fact]
    public async Task When_the_address_does_not_exist_Should_stay_final_and_unlisted()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:WebhookSecret"] = Secret });
        using var http = host.CreateClient().WithOpsKey();
        var (emailId, _, name, resendId) = await SentAsync("No such user");

        await PostAsync(http, Bounced(resendId, "Permanent", "General", "Mailbox does not exist"));

        // Four scans of ProviderFailedFiles (every 0.5 s here), any of which would have moved a file it was owed.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Null(await ListedAsync(http, name));
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Sent, name)), "the file stays in sent/");
        Assert.Equal(("bounced", "sent"), await StatesOfAsync(emailId));
        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.NotFound, asked.StatusCode);
    }

    private async Task<(Guid EmailId, string Subject, string Name, string ResendId)> SentAsync(string words)
    {
        var emailId = Guid.NewGuid();
        var subject = $"{words} {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));
        await Eventually.Until(
            () => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), found => found, Patience, "the accepted email to reach sent/");
        var resendId = Assert.Single(await fixture.QueryAsync<string>("select provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));
        return (emailId, subject, name, resendId);
    }

    private static string Bounced(string resendId, string type, string subType, string message) =>
        ResendWebhooks.Event(
            "email.bounced",
            resendId,
            DateTimeOffset.UtcNow,
            new JsonObject { ["bounce"] = new JsonObject { ["message"] = message, ["subType"] = subType, ["type"] = type, ["diagnosticCode"] = new JsonArray() } });

    private static async Task PostAsync(HttpClient http, string body)
    {
        using var request = ResendWebhooks.Sign(body, Secret);
        using var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
    }

    private static async Task<JsonObject?> ListedAsync(HttpClient http, string name) =>
        (await http.GetFromJsonAsync<JsonObject>("/outbox/failed?limit=500"))!["files"]!.AsArray()
            .Select(f => f!.AsObject())
            .SingleOrDefault(f => f["file"]!.GetValue<string>() == name);

    private async Task<(string Delivery, string Send)> StatesOfAsync(Guid emailId) =>
        Assert.Single(await fixture.QueryAsync<(string, string)>("select delivery_state, send_state from outbound_emails where email_id = @emailId", new { emailId }));
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.DeliveryTracker.OutboxRetention;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary>
/// An email the provider accepted and reported failed later (Resend's <c>email.failed</c>: a daily quota reached, a
/// domain not verified) is one ops can find and send again, as one it refused at the send: it was recorded sent and its
/// file left in <c>sent/</c>, so <c>GET /outbox/failed</c> never listed it, send-again answered 404, nothing counted it
/// in <c>ordersmail.relay.failed</c>, and the retention sweep removed its file after the keep period.
/// </summary>
public sealed class ProviderFailedSendAgain_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string Secret = $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";

    [Fact]
    public async Task Should_list_count_keep_and_send_again_an_email_the_provider_failed_after_accepting_it_once()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:WebhookSecret"] = Secret });
        using var instruments = new RelayInstruments(host.Services);
        using var http = host.CreateClient().WithOpsKey();
        var emailId = Guid.NewGuid();
        var subject = $"Failed late {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));
        await UntilFileAsync(fixture.Outbox.Sent, name, "the accepted email to reach sent/");
        var resendId = Assert.Single(await fixture.QueryAsync<string>("select provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));

        // Reported twice, under two svix-ids (Resend sending the event again), and once more as a Svix retry of the first.
        var failed = new JsonObject { ["failed"] = new JsonObject { ["reason"] = "reached_daily_quota" } };
        var body = ResendWebhooks.Event("email.failed", resendId, DateTimeOffset.UtcNow, failed);
        const string svixId = "msg_latefail_first";
        foreach (var request in new[] { ResendWebhooks.Sign(body, Secret, svixId), ResendWebhooks.Sign(body, Secret), ResendWebhooks.Sign(body, Secret, svixId) })
        {
            using (request)
            using (var answer = await http.SendAsync(request))
            {
                Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
            }
        }

        var listed = await Eventually.Until(
            async () => (await http.GetFromJsonAsync<JsonObject>("/outbox/failed?limit=500"))!["files"]!.AsArray().Select(f => f!.AsObject()).Where(f => f["file"]!.GetValue<string>() == name).ToList(),
            files => files.Count > 0,
            Patience,
            "GET /outbox/failed to list the email the provider failed after accepting it");
        var entry = Assert.Single(listed);
        Assert.Equal(emailId, entry["email_id"]!.GetValue<Guid>());
        Assert.Contains("reached_daily_quota", entry["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Sent, name)), "the file moved from sent/ to failed/");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, instruments.Counted(RelayMetrics.Failed, "channel=resend,kind=order_confirmation,reason=provider_failed"));
        Assert.Equal(0, Assert.Single(await fixture.QueryAsync<int>("select count(*)::int from outbound_emails where email_id = @emailId and failed_file_due is not null", new { emailId })));

        // Past the keep period and not sent again: ops' worklist, kept.
        File.SetLastWriteTimeUtc(Path.Combine(fixture.Outbox.Failed, name), DateTime.UtcNow - TimeSpan.FromDays(8));
        await host.Services.GetRequiredService<OutboxRetentionSweep>().SweepOnceAsync(CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Failed, name)), "the retention sweep keeps a provider-failed email nobody sent again");

        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var copy = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(EmailIdentity.SendAgainOf(emailId), copy["email_id"]!.GetValue<Guid>());
        Assert.Equal(emailId, copy["sent_again_of"]!.GetValue<Guid>());
        await UntilFileAsync(fixture.Outbox.Sent, copy["file"]!.GetValue<string>(), "the copy to reach sent/");
        Assert.Equal(2, await fixture.SendsOfAsync(subject));
    }

    private static Task<bool> UntilFileAsync(string folder, string name, string what) =>
        Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(folder, name))), found => found, Patience, what);
}

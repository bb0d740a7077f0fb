using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary>
/// Send-again while the mail outbox cannot take a file (its disk full, read-only or gone): a 503 that says so and asks
/// for the request again, nothing written, and the same request works once the outbox is back.
/// </summary>
public sealed class SendAgainOutage_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Fact]
    public async Task When_the_outbox_cannot_take_the_copy_Should_answer_503_and_write_it_when_asked_again_after()
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Failed, name), RelayFixture.Email($"Outage {emailId:N}", emailId));

        // The outbox's disk refusing every file: its staging folder cannot be made while a file holds its name.
        Directory.Delete(fixture.Outbox.Staging, recursive: true);
        await File.WriteAllTextAsync(fixture.Outbox.Staging, "not a folder");
        try
        {
            using var refused = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("The mail outbox cannot take files", problem["title"]!.GetValue<string>());
            Assert.DoesNotContain(fixture.Outbox.Root, problem.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Pending), f => f.EndsWith($"{EmailIdentity.SendAgainOf(emailId):N}.json", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(fixture.Outbox.Staging);
            Directory.CreateDirectory(fixture.Outbox.Staging);
        }

        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
    }

    // The relay opened the outbox as it started and threw when it could not, which stopped the whole host: Resend's
    // webhooks and the ops routes with it, for mail that can wait.
    [Fact]
    public async Task When_the_outbox_is_away_as_the_service_starts_Should_keep_answering_and_send_once_it_is_back()
    {
        Directory.Delete(fixture.Outbox.Staging, recursive: true);
        await File.WriteAllTextAsync(fixture.Outbox.Staging, "not a folder");
        using var host = new RelayHost(fixture);
        try
        {
            using var early = host.CreateClient();
            await Task.Delay(TimeSpan.FromSeconds(2));
            using var live = await early.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            File.Delete(fixture.Outbox.Staging);
            Directory.CreateDirectory(fixture.Outbox.Staging);
        }

        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email($"Outbox back {emailId:N}", emailId));
        await Eventually.Until(
            () => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, TimeSpan.FromSeconds(30), "the email to reach sent/ once the outbox is back");
    }
}

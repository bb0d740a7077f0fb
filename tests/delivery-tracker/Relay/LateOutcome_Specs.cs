using System.Net.Http.Json;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A transient answer that arrives after the email was recorded sent by another attempt (another relay that took the
/// file back, or another file of the same email) changes nothing: the row stays sent, the file goes to sent/, and the
/// email is not sent again.
/// </summary>
public sealed class LateOutcome_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Should_leave_an_email_sent_meanwhile_sent_when_a_late_transient_answer_comes()
    {
        // The lone send waits 5 s at Resend and then gets a 503, which the client does not retry.
        using var faults = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.send", latency_ms = 5_000, error_status = 503, times = 1 });
        faults.EnsureSuccessStatusCode();
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:MaxRetries"] = "0", ["Resend:AttemptTimeout"] = "00:00:30" });
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var subject = $"Late answer {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        // Meanwhile another attempt is recorded as accepted, as a relay that took the file back would record it.
        await Eventually.Until(
            () => fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId }),
            rows => rows.Count == 1,
            Patience,
            "the email's row while Resend holds its answer");
        await fixture.QueryAsync<int>(
            "update outbound_emails set send_state = 'sent', provider_message_id = 're_other', attempts = 1, sent_at = now() where email_id = @emailId returning 1", new { emailId });

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        var row = Assert.Single(await fixture.QueryAsync<(string State, string ProviderId, int Attempts)>(
            "select send_state, provider_message_id, attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("sent", "re_other", 1), (row.State, row.ProviderId, row.Attempts));
        Assert.Equal(0, await fixture.SendsOfAsync(subject));
    }
}

using System.Net.Http.Json;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>Resend answering 503 or 429 for a while: the email stays pending, counted, and is sent exactly once after recovery.</summary>
public sealed class Outage_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Twelve failed answers outlast the client's own retries, so the relay's pending state and backoff carry it.</summary>
    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Should_send_once_after_the_provider_recovers(int status)
    {
        using var faults = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.*", error_status = status, retry_after_seconds = 0, times = 12 });
        faults.EnsureSuccessStatusCode();
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var subject = $"Outage {status} {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/ after the outage");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        var row = Assert.Single(await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal("sent", row.State);
        Assert.True(row.Attempts > 1, $"the relay itself retried (attempts {row.Attempts})");
    }
}

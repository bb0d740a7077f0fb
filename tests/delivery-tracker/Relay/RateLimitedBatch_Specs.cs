using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>Resend at its real default limit, 5 requests per second: a burst goes out in batches, paced by the client, each email once.</summary>
public sealed class RateLimitedBatch_Specs(RateLimitedRelayFixture fixture) : IClassFixture<RateLimitedRelayFixture>
{
    private const int Files = 400;

    /// <summary>
    /// 400 files at once. One request per file would take at least 80 s at 5 per second (more with the 429s); in
    /// batches it takes a handful of requests, so a 40 s bound proves the batching, and no email needs a second
    /// attempt of the relay's, so the client's pacing kept Resend's 429s out of the way.
    /// </summary>
    [Fact]
    public async Task Should_send_a_burst_at_resends_default_rate_limit_in_far_fewer_requests_than_files_each_once()
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, Files).Select(i => $"20250101T000000000Z-{run}-{i:D3}.json").ToList();
        names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Burst {run} {name}")));

        await Eventually.Until(
            () => Task.FromResult(names.Count(n => File.Exists(Path.Combine(fixture.Outbox.Sent, n)))), sent => sent == Files, TimeSpan.FromSeconds(40), "all 400 files to reach sent/");

        var sends = (await fixture.ResendEmailsAsync()).Select(e => e["subject"]!.GetValue<string>()).Where(s => s.StartsWith($"Burst {run} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Files, sends.Count);
        Assert.Equal(Files, sends.Distinct().Count());
        var rows = await fixture.QueryAsync<(Guid? BatchId, int Attempts)>("select batch_id, attempts from outbound_emails where file_name like @run", new { run = $"%-{run}-%" });
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));

        // A request per batch, and one per email that went alone while the first tokens were spare.
        var requests = rows.Where(r => r.BatchId is not null).Select(r => r.BatchId).Distinct().Count() + rows.Count(r => r.BatchId is null);
        Assert.True(requests <= Files / 10, $"{requests} requests for {Files} files");
    }
}

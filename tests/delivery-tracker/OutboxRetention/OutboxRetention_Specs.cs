using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.DeliveryTracker.FailedMail;
using OrdersMail.DeliveryTracker.OutboxRetention;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.OutboxRetention;

/// <summary>
/// The outbox's files are inodes of the volume its writers share: kept for good (about 20,000 a day at 10,000 orders),
/// they filled it in about a month, and then every confirmation and reply failed to be written. The tracker's sweep
/// removes those last written longer than <c>DeliveryTracker:OutboxRetention:KeepFor</c> (7 days) ago that have done
/// their job: a sent file whose email's row is recorded, a failed file sent again long ago (with its reason file), a
/// staged file a dead writer left. A failed file nobody sent again and a sent file with no row stay, however old.
/// </summary>
public sealed class OutboxRetention_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PastKeepFor = TimeSpan.FromDays(8);

    [Fact]
    public async Task Should_remove_sent_files_past_the_keep_period_whose_email_is_recorded_and_keep_the_rest()
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var old = await SendAsync("Sent long ago");
        var recent = await SendAsync("Sent recently");
        var unrecorded = $"20250101T000000000Z-{Guid.NewGuid():N}.json";
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Sent, unrecorded), RelayFixture.Email("Never picked up"));
        Backdate(fixture.Outbox.Sent, old);
        Backdate(fixture.Outbox.Sent, unrecorded);

        await host.Services.GetRequiredService<OutboxRetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Sent, old)), "a sent file past the keep period, its email recorded, is removed");
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Sent, recent)), "a sent file within the keep period stays");
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Sent, unrecorded)), "a sent file whose email has no row stays, however old");
    }

    [Fact]
    public async Task Should_remove_failed_files_sent_again_long_ago_with_their_reason_and_keep_those_not_sent_again()
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var (resolved, unresolved) = (Name(), Name());
        using (var fault = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.*", error_status = 422, error_name = "invalid_parameter", times = 1000 }))
        {
            fault.EnsureSuccessStatusCode();
        }

        try
        {
            fixture.Drop(resolved, RelayFixture.Email($"Refused {resolved}"));
            fixture.Drop(unresolved, RelayFixture.Email($"Refused {unresolved}"));
            Assert.Equal("failed", await fixture.UntilSettledAsync(resolved, Patience));
            Assert.Equal("failed", await fixture.UntilSettledAsync(unresolved, Patience));
        }
        finally
        {
            await fixture.Sandbox.Http.DeleteAsync(new Uri("sandbox/faults", UriKind.Relative));
        }

        var copy = Assert.IsType<SendAgainOutcome.Written>(await host.Services.GetRequiredService<FailedEmails>().SendAgainAsync(resolved, CancellationToken.None)).Copy;
        Assert.Equal("sent", await fixture.UntilSettledAsync(copy.File, Patience));
        await fixture.ExecuteAsync($"update outbound_emails set queued_at = now() - interval '8 days' where email_id = '{copy.EmailId}'");
        Backdate(fixture.Outbox.Failed, resolved);
        Backdate(fixture.Outbox.Failed, unresolved);

        await host.Services.GetRequiredService<OutboxRetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Failed, resolved)), "a failed file sent again past the keep period is removed");
        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Failed, $"{resolved}.error.json")), "and its reason file with it");
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Failed, unresolved)), "a failed file nobody sent again stays, ops' worklist");
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Failed, $"{unresolved}.error.json")), "and its reason file with it");
    }

    [Fact]
    public async Task Should_remove_what_a_dead_writer_left_in_staging_past_the_keep_period()
    {
        using var host = new RelayHost(fixture);
        using var instruments = new RelayInstruments(host.Services);
        _ = host.Server;
        var (left, writing) = (Name(), Name());
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Staging, left), RelayFixture.Email("Never renamed"));
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Staging, writing), RelayFixture.Email("Being written"));
        Backdate(fixture.Outbox.Staging, left);

        await host.Services.GetRequiredService<OutboxRetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(fixture.Outbox.Staging, left)), "a staged file past the keep period is removed");
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Staging, writing)), "a staged file being written stays");
        Assert.Equal(1, instruments.Counted(OutboxRetentionSweep.RemovedMetric, "folder=staging"));
        File.Delete(Path.Combine(fixture.Outbox.Staging, writing));
    }

    /// <summary>Two replicas share the outbox, and their sweeps may meet over the same files: a file the other removed first is no error.</summary>
    [Fact]
    public async Task Should_sweep_from_two_replicas_at_once_without_failing()
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var names = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SendAsync($"Swept twice {i}")));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        clock.Advance(PastKeepFor);
        var replicas = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<OutboxRetentionSweep>(host.Services, (TimeProvider)clock)).ToList();

        var swept = await Task.WhenAll(replicas.Select(r => r.SweepOnceAsync(CancellationToken.None)));

        Assert.All(names, name => Assert.False(File.Exists(Path.Combine(fixture.Outbox.Sent, name)), $"{name} removed by one sweep or the other"));
        Assert.True(swept.Sum(s => s.Sent) >= names.Length, "each file counted by the sweep that removed it");
        replicas.ForEach(r => r.Dispose());
    }

    private async Task<string> SendAsync(string subject)
    {
        var name = Name();
        fixture.Drop(name, RelayFixture.Email($"{subject} {name}"));
        Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        await Eventually.Until(
            () => fixture.QueryAsync<string>("select send_state from outbound_emails where file_name = @name", new { name }),
            rows => rows.Count == 1 && rows[0] == "sent",
            Patience,
            $"{name}'s row recorded as sent");
        return name;
    }

    private static string Name() => $"20250101T000000000Z-{Guid.NewGuid():N}.json";

    private static void Backdate(string folder, string name) => File.SetLastWriteTimeUtc(Path.Combine(folder, name), DateTime.UtcNow - PastKeepFor);
}

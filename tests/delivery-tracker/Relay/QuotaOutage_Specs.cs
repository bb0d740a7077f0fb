using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// Resend's daily quota used up for a while (429 <c>daily_quota_exceeded</c>, docs/resend.md §3): the emails wait
/// pending, their attempts untouched however long it lasts, the quota named as their last error, and each is sent once
/// when it comes back. Taken for the rate limit, each was tried again within seconds and failed for good once its
/// attempts ran out, each needing ops to send it again.
/// </summary>
public sealed class QuotaOutage_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private const int Files = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_keep_the_emails_pending_without_spending_attempts_then_send_each_once_when_the_quota_is_back()
    {
        // Two attempts: spent on the quota, each email would fail within seconds.
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:QuotaPause"] = "00:00:01", ["DeliveryTracker:Relay:MaxAttempts"] = "2" });
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, Files).Select(i => $"20250101T000000000Z-{run}-{i}.json").ToList();
        var quota = new { api = "resend", operation = "emails.*", error_status = 429, error_name = "daily_quota_exceeded", retry_after_seconds = 0 };

        await fixture.WithFaultAsync(quota, async () =>
        {
            _ = host.Server;
            names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Quota {run} {name}")));

            // Three refusals at least: each pause ends with a send asking again, refused again.
            await Eventually.Until(QuotaRefusalsAsync, refusals => refusals >= 3, Patience, "Resend to refuse three sends for the quota");
            var rows = await Eventually.Until(() => RowsAsync(run), r => r.Count == Files && r.All(row => row.LastError is not null), Patience, "every email to be answered");
            Assert.All(rows, row => Assert.Equal(("pending", 0), (row.State, row.Attempts)));
            Assert.All(rows, row => Assert.Contains("daily_quota_exceeded", row.LastError, StringComparison.Ordinal));
            Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Failed), name => name.Contains(run, StringComparison.Ordinal));
        });

        foreach (var name in names)
        {
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
            Assert.Equal(1, await fixture.SendsOfAsync($"Quota {run} {name}"));
        }

        Assert.All(await RowsAsync(run), row => Assert.Equal(("sent", 1), (row.State, row.Attempts)));
    }

    /// <summary>
    /// A quota lasting more than a day: the emails were picked up longer ago than the providers keep an idempotency key,
    /// but Resend refused each send under its key, so nothing went out under it; each is sent once when the quota is
    /// back. Timed from the pick-up alone, each went to failed/ as a send whose answer was lost.
    /// </summary>
    [Fact]
    public async Task When_the_quota_lasts_longer_than_the_idempotency_window_Should_still_send_each_once_when_it_is_back()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:QuotaPause"] = "00:00:01" });
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, Files).Select(i => $"20250101T000000000Z-{run}-{i}.json").ToList();
        var quota = new { api = "resend", operation = "emails.*", error_status = 429, error_name = "monthly_quota_exceeded", retry_after_seconds = 0 };

        await fixture.WithFaultAsync(quota, async () =>
        {
            _ = host.Server;
            names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Long quota {run} {name}")));
            await Eventually.Until(() => RowsAsync(run), r => r.Count == Files && r.All(row => row.LastError is not null), Patience, "every email to be refused for the quota");

            // A day and more on: the pick-ups are older than the window, the refusals are not.
            await fixture.QueryAsync<int>(
                "update outbound_emails set queued_at = queued_at - interval '25 hours' where file_name like @run returning 1", new { run = $"%-{run}-%" });
        });

        foreach (var name in names)
        {
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
            Assert.Equal(1, await fixture.SendsOfAsync($"Long quota {run} {name}"));
        }

        Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Failed), name => name.Contains(run, StringComparison.Ordinal));
    }

    /// <summary>
    /// Resend refuses a send for the monthly quota and asks for a day (Retry-After, the longest pause it begins): the
    /// first email refused by Resend, the others held back unsent by the client's pause, each waits the day out and is
    /// sent once when it ends; none of them had a send that could have been accepted, so none had an answer to lose.
    /// Timed from the hold, each was due a day after it and went to failed/ as a send whose answer was lost.
    /// </summary>
    [Fact]
    public async Task When_a_quota_pause_holds_the_emails_a_day_Should_send_each_once_when_it_ends()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, Files).Select(i => $"20250101T000000000Z-{run}-{i}.json").ToList();
        var quota = new { api = "resend", operation = "emails.*", error_status = 429, error_name = "monthly_quota_exceeded", retry_after_seconds = 86_400 };
        using (var held = new RelayHost(fixture))
        {
            await fixture.WithFaultAsync(quota, async () =>
            {
                _ = held.Server;
                names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Day's quota {run} {name}")));
                await Eventually.Until(() => RowsAsync(run), r => r.Count == Files && r.All(row => row.LastError is not null), Patience, "every email to be held back for the quota");
            });
        }

        // The day, gone by: every time the rows keep is a day earlier, and the pause is over.
        await fixture.ExecuteAsync($"""
            update outbound_emails
            set queued_at = queued_at - interval '24 hours', refused_at = refused_at - interval '24 hours', next_attempt_at = now()
            where file_name like '%-{run}-%'
            """);
        using var next = new RelayHost(fixture);
        _ = next.Server;

        foreach (var name in names)
        {
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
            Assert.Equal(1, await fixture.SendsOfAsync($"Day's quota {run} {name}"));
        }

        Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Failed), name => name.Contains(run, StringComparison.Ordinal));
        Assert.Empty(await fixture.QueryAsync<string>(
            "select message_type from outbox_messages where message_type like '%.OutboundEmailFailed' and payload::text like @run", new { run = $"%-{run}-%" }));
    }

    private async Task<long> QuotaRefusalsAsync()
    {
        var faults = await fixture.Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults");
        return faults!["faults"]!.AsArray().Sum(f => f!["applied"]!.GetValue<long>());
    }

    private Task<IReadOnlyList<(string State, int Attempts, string? LastError)>> RowsAsync(string run) =>
        fixture.QueryAsync<(string State, int Attempts, string? LastError)>(
            "select send_state, attempts, last_error from outbound_emails where file_name like @run", new { run = $"%-{run}-%" });
}

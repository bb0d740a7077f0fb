using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A Resend batch holds its members' bodies for as long as one of them may be sent again as it. Once none is pending
/// it is history: the retention sweep deletes it after <c>DeliveryTracker:Retention:KeepFor</c> (7 days) and its
/// members keep their rows; a batch with a member still pending stays, however old.
/// </summary>
public sealed class BatchRetention_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Should_delete_batches_past_retention_with_no_pending_member_and_keep_the_rest()
    {
        // One request a second leaves no token spare, so even a lone email goes as a batch.
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:RequestsPerSecond"] = "1" });
        _ = host.Server;
        var sentOld = await SendAsync("Sent long ago");
        var sentRecently = await SendAsync("Sent recently");

        using (var fault = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.batch", error_status = 503, retry_after_seconds = 0, times = 10_000 }))
        {
            fault.EnsureSuccessStatusCode();
        }

        var pendingId = Drop("Still pending");
        await Eventually.Until(
            () => fixture.QueryAsync<int>("select attempts from outbound_emails where email_id = @pendingId and batch_id is not null", new { pendingId }),
            rows => rows.Count == 1 && rows[0] >= 1,
            Patience,
            "the pending email's first failed attempt as a batch member");
        await fixture.Sandbox.Http.DeleteAsync(new Uri("sandbox/faults", UriKind.Relative));

        await fixture.QueryAsync<int>(
            "update resend_batches b set created_at = now() - interval '8 days' from outbound_emails e where e.batch_id = b.batch_id and e.email_id = any(@ids) returning 1",
            new { ids = new[] { sentOld, pendingId } });
        await host.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        var rows = await fixture.QueryAsync<(Guid EmailId, string State, Guid? BatchId)>(
            "select email_id, send_state, batch_id from outbound_emails where email_id = any(@ids)", new { ids = new[] { sentOld, sentRecently, pendingId } });
        Assert.Equal(3, rows.Count);
        Assert.Null(rows.Single(r => r.EmailId == sentOld).BatchId);
        Assert.NotNull(rows.Single(r => r.EmailId == sentRecently).BatchId);
        var pending = rows.Single(r => r.EmailId == pendingId);
        Assert.Equal("pending", pending.State);
        Assert.Single(await fixture.QueryAsync<Guid>("select batch_id from resend_batches where batch_id = @BatchId", new { pending.BatchId }));
    }

    private async Task<Guid> SendAsync(string subject)
    {
        var emailId = Drop(subject);
        await Eventually.Until(
            () => fixture.QueryAsync<Guid?>("select batch_id from outbound_emails where email_id = @emailId and send_state = 'sent'", new { emailId }),
            rows => rows.Count == 1 && rows[0] is not null,
            Patience,
            $"{subject} sent as a batch member");
        return emailId;
    }

    private Guid Drop(string subject)
    {
        var emailId = Guid.NewGuid();
        fixture.Drop($"20250101T000000000Z-{emailId:N}.json", RelayFixture.Email($"{subject} {emailId:N}", emailId));
        return emailId;
    }
}

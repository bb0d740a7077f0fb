using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary>
/// The move of an email the provider failed after accepting it, from <c>sent/</c> to <c>failed/</c>, is on disk before
/// its mark (<c>failed_file_due</c>) is cleared. The note was written in place and nothing was flushed: after a power
/// cut the rename could be undone with the mark gone, leaving the only copy in <c>sent/</c> for the retention sweep to
/// delete, unlisted and not to be sent again, or an empty note listed with no reason.
/// </summary>
public sealed class ProviderFailedMove_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string Secret = $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";

    [Fact]
    public async Task Should_flush_the_whole_note_and_the_move_into_failed_before_clearing_the_mark()
    {
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var flushes = new ConcurrentQueue<Flushed>();

        // The seam only watches: each flush still happens, and what is on disk and in the row is noted as it does.
        void Observe(string directory)
        {
            flushes.Enqueue(new Flushed(
                directory,
                File.Exists(Path.Combine(fixture.Outbox.Failed, name)),
                ReadNote(Path.Combine(fixture.Outbox.Failed, $"{name}.error.json")),
                MarkSet(emailId)));
            DirectoryFlush.Flush(directory);
        }

        using var relay = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:WebhookSecret"] = Secret });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton(new FailedFolder(fixture.Outbox, Observe))));
        using var http = host.CreateClient().WithOpsKey();
        fixture.Drop(name, RelayFixture.Email($"Moved durably {emailId:N}", emailId));
        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), found => found, Patience, "the accepted email to reach sent/");
        var resendId = Assert.Single(await fixture.QueryAsync<string>("select provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));

        var failed = new JsonObject { ["failed"] = new JsonObject { ["reason"] = "reached_daily_quota" } };
        using (var request = ResendWebhooks.Sign(ResendWebhooks.Event("email.failed", resendId, DateTimeOffset.UtcNow, failed), Secret))
        using (var answer = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        await Eventually.Until(
            async () => await fixture.QueryAsync<int>("select count(*)::int from outbound_emails where email_id = @emailId and failed_file_due is null and send_state = 'failed'", new { emailId }),
            cleared => cleared.Single() == 1,
            Patience,
            "the mark to be cleared");

        Assert.Contains(flushes, f => f.Directory == fixture.Outbox.Failed);
        Assert.Contains(flushes, f => f.Directory == fixture.Outbox.Sent);
        var first = flushes.First(f => f.Directory == fixture.Outbox.Failed);
        Assert.True(first.FileInFailed, "the email's file is in failed/ when failed/ is flushed");
        Assert.NotNull(first.Note);
        Assert.Equal(emailId, first.Note["email_id"]!.GetValue<Guid>());
        Assert.Contains("reached_daily_quota", first.Note["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(flushes, f => Assert.True(f.MarkSet, $"failed_file_due still set when {f.Directory} is flushed"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.Outbox.Failed, $"{name}.error.json")));
        }

        Assert.Empty(Directory.EnumerateFiles(fixture.Outbox.Staging));
    }

    private static JsonObject? ReadNote(string path) => File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;

    private bool MarkSet(Guid emailId)
    {
        using var connection = new NpgsqlConnection(fixture.Infrastructure.Database.ConnectionString);
        return connection.QuerySingle<bool>("select failed_file_due is not null from delivery.outbound_emails where email_id = @emailId", new { emailId });
    }

    private sealed record Flushed(string Directory, bool FileInFailed, JsonObject? Note, bool MarkSet);
}

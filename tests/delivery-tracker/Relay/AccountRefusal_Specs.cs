using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Logging;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A provider refusing every send for the account for a while (a key missing, rotated or wrong, 401): the emails wait
/// pending in <c>email/</c>, their attempts untouched, the refusal named as their last error and logged at Error once,
/// and each is sent once the key is put right. Taken for a refusal of the email, each was failed at its first send and
/// moved to <c>failed/</c>, and nothing resumed once the key was fixed: each needed its own send-again.
/// </summary>
public sealed class AccountRefusal_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>, IDisposable
{
    private const int Files = 5;
    private const string ResendKey = "re_spec_secret_key";

    // The sandbox's AgentMail knows this key alone: the refusals are the fault rule's.
    private const string AgentMailKey = "am_local_sandbox";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CapturedLogs _logs = new();

    /// <inheritdoc />
    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task When_Resend_refuses_the_key_Should_keep_the_emails_pending_then_send_each_once_when_it_is_accepted_again()
    {
        using var relay = new RelayHost(fixture, Settings("Resend:ApiKey", ResendKey));
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, Files).Select(i => $"20250101T000000000Z-{run}-{i}.json").ToList();
        var missingKey = new { api = "resend", operation = "emails.*", error_status = 401, error_name = "missing_api_key" };

        await fixture.WithFaultAsync(missingKey, async () =>
        {
            _ = host.Server;
            names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Key {run} {name}")));

            // Two refusals at least: a pause's end asks again, and is refused again.
            await Eventually.Until(RefusalsAsync, refusals => refusals >= 2, Patience, "Resend to refuse two sends for the key");
            await AssertWaitingAsync(run, "missing_api_key");
        });

        await AssertSentOnceAsync(run, names, async name => await fixture.SendsOfAsync($"Key {run} {name}"));
        AssertLoggedOnce("Resend", "missing_api_key", ResendKey);
    }

    // 409 domain_not_verified: AgentMail answers the organisation's domain and limit as "403 or 409"; taken for the 409
    // of a reply in flight, each reply was retried until it failed, its reason saying it may have gone out.
    [Theory]
    [InlineData(401, "unknown_api_key")]
    [InlineData(409, "domain_not_verified")]
    public async Task When_AgentMail_refuses_for_the_account_Should_keep_the_replies_pending_then_send_each_once_when_it_is_accepted_again(int status, string code)
    {
        using var relay = new RelayHost(fixture, Settings("DeliveryTracker:AgentMail:ApiKey", AgentMailKey));
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        var run = Guid.NewGuid().ToString("N")[..8];
        var replies = new List<(string Name, string InboxId, string MessageId)>();
        for (var i = 0; i < Files; i++)
        {
            var (inboxId, messageId) = await fixture.CustomerMessageAsync();
            replies.Add(($"20250101T000000000Z-{run}-{i}.json", inboxId, messageId));
        }

        var refusal = new { api = "agentmail", operation = "messages.reply", error_status = status, error_code = code };
        await fixture.WithFaultAsync(refusal, async () =>
        {
            _ = host.Server;
            replies.ForEach(r => fixture.Drop(r.Name, RelayFixture.AgentReply(Guid.NewGuid(), r.InboxId, r.MessageId).ToJsonString()));
            await Eventually.Until(RefusalsAsync, refusals => refusals >= 2, Patience, "AgentMail to refuse two replies for the account");
            await AssertWaitingAsync(run, code);
        });

        await AssertSentOnceAsync(run, [.. replies.Select(r => r.Name)], async name =>
        {
            var reply = replies.Single(r => r.Name == name);
            return (await fixture.RepliesToAsync(reply.InboxId, reply.MessageId)).Count;
        });
        AssertLoggedOnce("AgentMail", code, AgentMailKey);
    }

    // A second's pause, so that the specs see pauses end and ask again; two attempts, spent on the refusals, would fail
    // each email within seconds.
    private static Dictionary<string, string?> Settings(string apiKeySetting, string apiKey) => new()
    {
        [apiKeySetting] = apiKey,
        ["DeliveryTracker:Relay:AccountPause"] = "00:00:01",
        ["DeliveryTracker:Relay:MaxAttempts"] = "2",
        ["Logging:LogLevel:OrdersMail.DeliveryTracker.Relay.ProviderPause"] = "Information",
    };

    private async Task AssertWaitingAsync(string run, string code)
    {
        var rows = await Eventually.Until(() => RowsAsync(run), r => r.Count == Files && r.All(row => row.LastError is not null), Patience, "every email to be answered");
        Assert.All(rows, row => Assert.Equal(("pending", 0), (row.State, row.Attempts)));
        Assert.All(rows, row => Assert.Contains(code, row.LastError, StringComparison.Ordinal));
        Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Failed), name => name.Contains(run, StringComparison.Ordinal));
    }

    private async Task AssertSentOnceAsync(string run, IReadOnlyList<string> names, Func<string, Task<int>> sendsOf)
    {
        foreach (var name in names)
        {
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
            Assert.Equal(1, await sendsOf(name));
        }

        Assert.All(await RowsAsync(run), row => Assert.Equal(("sent", 1), (row.State, row.Attempts)));
    }

    // One Error for the outage, naming the provider and its code, never the key; one Information when it ended.
    private void AssertLoggedOnce(string provider, string code, string apiKey)
    {
        var lines = _logs.Lines;
        var paused = Assert.Single(lines, l => l.StartsWith("Error: ", StringComparison.Ordinal) && l.Contains("for the account", StringComparison.Ordinal));
        Assert.Contains(provider, paused, StringComparison.Ordinal);
        Assert.Contains(code, paused, StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("Information: ", StringComparison.Ordinal) && l.Contains($"{provider} accepted a send again", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(apiKey, StringComparison.Ordinal));
    }

    private async Task<long> RefusalsAsync()
    {
        var faults = await fixture.Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults");
        return faults!["faults"]!.AsArray().Sum(f => f!["applied"]!.GetValue<long>());
    }

    private Task<IReadOnlyList<(string State, int Attempts, string? LastError)>> RowsAsync(string run) =>
        fixture.QueryAsync<(string State, int Attempts, string? LastError)>(
            "select send_state, attempts, last_error from outbound_emails where file_name like @run", new { run = $"%-{run}-%" });
}

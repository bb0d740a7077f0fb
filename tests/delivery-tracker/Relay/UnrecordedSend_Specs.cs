using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A send whose outcome was not recorded (the database refusing the email's rows for a while, as the chaos scenario
/// makes it; an answer lost) is never sent again under another key, nor under one the provider has forgotten, a
/// Resend email's or an agent reply's.
/// </summary>
public sealed class UnrecordedSend_Specs(ClockedSandboxRelayFixture fixture) : IClassFixture<ClockedSandboxRelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A lone email while the rate leaves room goes on its own; its row is refused. The next relay, whose rate leaves no
    /// token spare, batches every new email: had the first relay sent it with no row, the batch would send it again
    /// under the batch's key and Resend would deliver it twice. Its row comes first, so the email is sent once.
    /// </summary>
    [Fact]
    public async Task Should_send_a_lone_email_once_when_its_rows_could_not_be_written_for_a_while()
    {
        var emailId = Guid.NewGuid();
        var subject = $"Unrecorded {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        await RunWhileTheRowsAreRefusedAsync(emailId, () => fixture.Drop(name, RelayFixture.Email(subject, emailId)));
        using var next = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:RequestsPerSecond"] = "1" });
        _ = next.Server;

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Equal("sent", Assert.Single(await fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId })));
    }

    /// <summary>
    /// An agent reply AgentMail accepted while its rows could not be written (as if the relay was killed between the send
    /// and the pick-up), then a day at AgentMail before the next relay: sent before its row existed, it came back new and
    /// went out again under a key AgentMail had forgotten, reaching the customer twice. Its pick-up now commits before its
    /// send, so nothing goes out while it cannot, and the reply is sent once.
    /// </summary>
    [Fact]
    public async Task Should_send_an_agent_reply_once_when_its_rows_could_not_be_written_and_AgentMail_forgot_its_key_meanwhile()
    {
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        await RunWhileTheRowsAreRefusedAsync(emailId, () => fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString()));
        fixture.Clock.Advance(TimeSpan.FromHours(25));
        using var next = new RelayHost(fixture);
        _ = next.Server;

        Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        Assert.Equal(["jane@example.com"], Assert.Single(await fixture.RepliesToAsync(inboxId, messageId)));
        Assert.Equal("sent", Assert.Single(await fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId })));
    }

    /// <summary>
    /// Resend takes the email but its answer is lost (held past the client's timeout) and the tracker is down a day
    /// before the retry: Resend no longer remembers the key, so a send again would deliver the email twice. The relay
    /// sends nothing and moves the file to failed/, saying ops must check Resend's log first. Alone, the send went
    /// under the email's key; at a rate that leaves no token spare, as a batch under the batch's.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_fail_and_not_send_again_an_email_whose_answer_was_lost_longer_ago_than_the_provider_keeps_its_key(bool inBatch)
    {
        var requestsPerSecond = inBatch ? "1" : "100000";
        var emailId = Guid.NewGuid();
        var subject = $"Answer lost a day ago {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        await LoseTheAnswerAsync(emailId, subject, name, requestsPerSecond);

        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Equal(inBatch, (await fixture.QueryAsync<Guid?>("select batch_id from outbound_emails where email_id = @emailId", new { emailId })).Single() is not null);
        await fixture.ExecuteAsync($"update outbound_emails set queued_at = queued_at - interval '25 hours', next_attempt_at = next_attempt_at - interval '25 hours' where email_id = '{emailId}'");
        fixture.Clock.Advance(TimeSpan.FromHours(25));

        using var next = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:RequestsPerSecond"] = requestsPerSecond });
        _ = next.Server;

        var folder = await fixture.UntilSettledAsync(name, Patience);
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Equal("failed", folder);
        await fixture.AssertGaveUpAsync(emailId, name, 1, "was lost (or the send never left), and the provider no longer remembers its Idempotency-Key");
        var note = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Failed, $"{name}.error.json")))!;
        Assert.Contains("Check the provider's log for it before sending it again (POST /outbox/failed/{file}/send-again)", note["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Resend takes the email but its answer is lost; then Resend refuses the relay's key (401) for a day, every send of
    /// it refused or held back unsent by the relay's pause, and the key is put right once Resend has forgotten the
    /// email's. Those holds say nothing of the lost answer's send: the email goes to failed/ as that send's, not sent
    /// again. Each hold restarted the window, so the email went out again under the forgotten key, reaching its
    /// recipient twice.
    /// </summary>
    [Fact]
    public async Task Should_fail_and_not_send_again_an_email_whose_answer_was_lost_and_whose_sends_were_held_back_for_a_day_since()
    {
        var emailId = Guid.NewGuid();
        var subject = $"Answer lost, then held a day {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        await LoseTheAnswerAsync(emailId, subject, name, requestsPerSecond: null);

        await fixture.ExecuteAsync($"update outbound_emails set next_attempt_at = now() where email_id = '{emailId}'");
        using (var held = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:AccountPause"] = "00:00:01" }))
        {
            await fixture.WithFaultAsync(new { api = "resend", operation = "emails.*", error_status = 401, error_name = "missing_api_key" }, async () =>
            {
                _ = held.Server;
                await Eventually.Until(
                    () => fixture.QueryAsync<string?>("select last_error from outbound_emails where email_id = @emailId", new { emailId }),
                    errors => errors.Single()?.Contains("missing_api_key", StringComparison.Ordinal) == true,
                    Patience,
                    "the email's sends to be held back for the account");
            });
        }

        // The day of holds, gone by: the lost answer's send a day ago, the last hold just now, Resend's key forgotten.
        Assert.Equal(1, await AttemptsAsync(emailId));
        await fixture.ExecuteAsync($"update outbound_emails set queued_at = queued_at - interval '25 hours', next_attempt_at = now() where email_id = '{emailId}'");
        fixture.Clock.Advance(TimeSpan.FromHours(25));

        using var next = new RelayHost(fixture);
        _ = next.Server;

        Assert.Equal("failed", await fixture.UntilSettledAsync(name, Patience));
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        await fixture.AssertGaveUpAsync(emailId, name, 1, "was lost (or the send never left), and the provider no longer remembers its Idempotency-Key");
    }

    // A relay sends the email and Resend takes it, but its answer comes after the relay's 1 s timeout: the send is counted
    // as an attempt whose answer was lost, and the email stays pending for a retry 5 min away. Resend:RequestsPerSecond as
    // given (one token batches every new email), or the relay's default.
    private async Task LoseTheAnswerAsync(Guid emailId, string subject, string name, string? requestsPerSecond)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Resend:AttemptTimeout"] = "00:00:01",
            ["Resend:MaxRetries"] = "0",
            ["DeliveryTracker:Relay:RetryBaseDelay"] = "00:05:00",
        };
        if (requestsPerSecond is not null)
        {
            settings["Resend:RequestsPerSecond"] = requestsPerSecond;
        }

        using var first = new RelayHost(fixture, settings);
        await fixture.WithFaultAsync(new { api = "resend", operation = "emails.*", answer_delay_ms = 3_000, times = 1 }, async () =>
        {
            _ = first.Server;
            fixture.Drop(name, RelayFixture.Email(subject, emailId));
            await Eventually.Until(() => AttemptsAsync(emailId), attempts => attempts == 1, Patience, "the lost answer to be counted as an attempt, the email pending");
        });
    }

    private async Task<int> AttemptsAsync(Guid emailId) =>
        (await fixture.QueryAsync<int>("select attempts from outbound_emails where email_id = @emailId and send_state = 'pending'", new { emailId })).SingleOrDefault();

    // A relay runs while the database refuses the email's rows (as the chaos scenario makes it), until it has tried to
    // write one after drop; then it stops and the rows may be written again.
    private async Task RunWhileTheRowsAreRefusedAsync(Guid emailId, Action drop)
    {
        using (var first = new RelayHost(fixture))
        {
            _ = first.Server;
            await fixture.ExecuteAsync($"""
                create sequence refused_rows;
                create function refuse_rows() returns trigger language plpgsql as $$
                begin
                  perform nextval('refused_rows');
                  raise exception 'the database refuses this email for now';
                end $$;
                create trigger refuse_rows before insert or update on outbound_emails
                  for each row when (new.email_id = '{emailId}') execute function refuse_rows();
                """);

            drop();
            await Eventually.Until(
                () => fixture.QueryAsync<bool>("select is_called from refused_rows"),
                refused => refused.Single(),
                Patience,
                "the relay to have tried to write the email's row");
        }

        await fixture.ExecuteAsync("drop trigger refuse_rows on outbound_emails; drop function refuse_rows(); drop sequence refused_rows;");
    }
}

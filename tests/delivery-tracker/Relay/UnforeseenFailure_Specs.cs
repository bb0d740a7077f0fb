using OrdersMail.DeliveryTracker.Tests.Support;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A failure nobody foresaw while a file is sent: here the provider's success labelled with a charset the client cannot
/// decode (the sandbox's <c>answer_charset</c>), which System.Net.Http.Json answers with an InvalidOperationException
/// that no catch of the relay names. Each such failure counts as an attempt of the file, and after <c>MaxAttempts</c>
/// the file goes to failed/ with what was thrown, instead of being given back and tried for good.
/// </summary>
public sealed class UnforeseenFailure_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// AgentMail's client reads such an answer as one that is not AgentMail's (a JsonException saying why), which the
    /// relay counts as an attempt too.
    /// </summary>
    [Fact]
    public async Task Should_count_each_unreadable_answer_to_an_agent_reply_as_an_attempt()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:MaxAttempts"] = "2" });
        _ = host.Server;
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";

        await fixture.WithFaultAsync(new { api = "agentmail", operation = "messages.reply", answer_charset = "x-unknown" }, async () =>
        {
            fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());
            Assert.Equal("failed", await fixture.UntilSettledAsync(name, Patience));
        });

        await fixture.AssertGaveUpAsync(emailId, name, 2, "answered in a form that cannot be read");
    }

    /// <summary>Two emails of one Resend batch (one request a second leaves no token spare): the batch's failure is an attempt of each.</summary>
    [Fact]
    public async Task Should_count_each_unforeseen_failure_of_a_resend_batch_as_an_attempt_of_its_emails()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:RequestsPerSecond"] = "1",
            ["DeliveryTracker:Relay:MaxAttempts"] = "2",
        });
        _ = host.Server;
        var emailIds = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var names = emailIds.Select(id => $"20250101T000000000Z-{id:N}.json").ToList();

        await fixture.WithFaultAsync(new { api = "resend", operation = "emails.*", answer_charset = "x-unknown" }, async () =>
        {
            for (var i = 0; i < names.Count; i++)
            {
                fixture.Drop(names[i], RelayFixture.Email($"Unforeseen {emailIds[i]:N}", emailIds[i]));
            }

            foreach (var name in names)
            {
                Assert.Equal("failed", await fixture.UntilSettledAsync(name, Patience));
            }
        });

        for (var i = 0; i < names.Count; i++)
        {
            await fixture.AssertGaveUpAsync(emailIds[i], names[i], 2, "System.InvalidOperationException");
            Assert.Equal(1, await fixture.SendsOfAsync($"Unforeseen {emailIds[i]:N}"));
        }
    }

    /// <summary>
    /// PostgreSQL refuses what one email of a batch carries (a check constraint the spec adds): the batch cannot be
    /// formed, each email goes on its own, the other one is sent at its first attempt, and the one refused is counted
    /// and goes to failed/ with what was thrown.
    /// </summary>
    [Fact]
    public async Task Should_send_the_other_email_of_a_batch_when_one_of_them_cannot_be_stored()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:RequestsPerSecond"] = "1",
            ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.500",
            ["DeliveryTracker:Relay:MaxAttempts"] = "2",
        });
        _ = host.Server;
        var (refusedId, otherId) = (Guid.NewGuid(), Guid.NewGuid());
        var (refused, other) = ($"20250101T000000000Z-{refusedId:N}.json", $"20250101T000000000Z-{otherId:N}.json");
        await fixture.ExecuteAsync($"alter table outbound_emails add constraint refuses_one check (subject <> 'Refused {refusedId:N}')");
        try
        {
            // Dropped together, within the long window: gathered into one batch.
            fixture.Drop(refused, RelayFixture.Email($"Refused {refusedId:N}", refusedId));
            fixture.Drop(other, RelayFixture.Email($"Other {otherId:N}", otherId));
            Assert.Equal("sent", await fixture.UntilSettledAsync(other, Patience));
            Assert.Equal("failed", await fixture.UntilSettledAsync(refused, Patience));
        }
        finally
        {
            await fixture.ExecuteAsync("alter table outbound_emails drop constraint refuses_one");
        }

        var row = Assert.Single(await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where email_id = @otherId", new { otherId }));
        Assert.Equal(("sent", 1), (row.State, row.Attempts));
        Assert.Equal(1, await fixture.SendsOfAsync($"Other {otherId:N}"));
        Assert.Equal(0, await fixture.SendsOfAsync($"Refused {refusedId:N}"));
        var reason = await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Failed, $"{refused}.error.json"));
        Assert.Contains("refuses_one", reason, StringComparison.Ordinal);
    }
}

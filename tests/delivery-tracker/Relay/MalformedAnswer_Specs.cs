using OrdersMail.DeliveryTracker.Tests.Support;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A provider that takes the email but answers 2xx with a body that is not its API's (the sandbox's
/// <c>malformed_answer</c>): each answer counts as a failed attempt, the email is sent again under the same key (a
/// replay, never a second email), and after <c>MaxAttempts</c> the file goes to failed/ with the reason. An AgentMail
/// answer without the <c>message_id</c> that names the reply (the sandbox's <c>omit_member</c>) is one of them.
/// </summary>
public sealed class MalformedAnswer_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Alone while the rate leaves room (a single send), or as a batch member (one request a second leaves no token spare).</summary>
    [Theory]
    [InlineData("alone", "100000")]
    [InlineData("batch", "1")]
    public async Task Should_count_each_unreadable_answer_of_resend_as_an_attempt_and_send_the_email_once(string label, string requestsPerSecond)
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:RequestsPerSecond"] = requestsPerSecond,
            ["DeliveryTracker:Relay:MaxAttempts"] = "2",
        });
        _ = host.Server;
        var emailId = Guid.NewGuid();
        var subject = $"Malformed {label} {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";

        await fixture.WithFaultAsync(new { api = "resend", operation = "emails.*", malformed_answer = true }, async () =>
        {
            fixture.Drop(name, RelayFixture.Email(subject, emailId));
            await UntilFailedAsync(name);
        });

        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        await fixture.AssertGaveUpAsync(emailId, name, 2, "not as documented");
    }

    /// <summary>
    /// An agent reply whose answer AgentMail's client cannot read, through AgentMail's reply endpoint: a body that is
    /// not AgentMail's, or AgentMail's without the <c>message_id</c> that names the reply.
    /// </summary>
    [Theory]
    [InlineData("malformed_answer")]
    [InlineData("omit_member")]
    public async Task Should_count_each_unreadable_answer_of_agentmail_as_an_attempt(string fault)
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:MaxAttempts"] = "2" });
        _ = host.Server;
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var reply = RelayFixture.AgentReply(emailId, inboxId, messageId);
        object rule = fault == "malformed_answer"
            ? new { api = "agentmail", operation = "messages.reply", malformed_answer = true }
            : new { api = "agentmail", operation = "messages.reply", omit_member = "message_id" };

        await fixture.WithFaultAsync(rule, async () =>
        {
            fixture.Drop(name, reply.ToJsonString());
            await UntilFailedAsync(name);
        });

        await fixture.AssertGaveUpAsync(emailId, name, 2, "not as documented");
    }

    /// <summary>
    /// One answer without <c>message_id</c>, then AgentMail's own: the reply is sent again under its key, AgentMail
    /// replays the first send's ids, and the email is recorded sent under the Message-ID its delivery events carry.
    /// </summary>
    [Fact]
    public async Task Should_record_the_message_id_of_the_replay_after_an_agentmail_answer_without_one()
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";

        await fixture.WithFaultAsync(new { api = "agentmail", operation = "messages.reply", omit_member = "message_id", times = 1 }, async () =>
        {
            fixture.Drop(name, RelayFixture.AgentReply(emailId, inboxId, messageId).ToJsonString());
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        });

        var row = Assert.Single(await fixture.QueryAsync<(string State, int Attempts, string? ProviderMessageId)>(
            "select send_state, attempts, provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("sent", 2), (row.State, row.Attempts));
        // The customer's message and one reply: the second send was a replay.
        var messages = await fixture.MessagesOfAsync(inboxId);
        Assert.Equal(2, messages.Count);
        Assert.Contains(row.ProviderMessageId, messages);
    }

    private async Task UntilFailedAsync(string name) => Assert.Equal("failed", await fixture.UntilSettledAsync(name, Patience));
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A provider that takes the email but answers 2xx with a body that is not its API's (the sandbox's
/// <c>malformed_answer</c>): each answer counts as a failed attempt, the email is sent again under the same key (a
/// replay, never a second email), and after <c>MaxAttempts</c> the file goes to failed/ with the reason.
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

        await WithFaultAsync(new { api = "resend", operation = "emails.*", malformed_answer = true }, async () =>
        {
            fixture.Drop(name, RelayFixture.Email(subject, emailId));
            await UntilFailedAsync(name);
        });

        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        await AssertGaveUpAsync(emailId, name);
    }

    /// <summary>An agent reply whose answer AgentMail's client cannot read: the same, through AgentMail's reply endpoint.</summary>
    [Fact]
    public async Task Should_count_each_unreadable_answer_of_agentmail_as_an_attempt()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:MaxAttempts"] = "2" });
        _ = host.Server;
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var reply = RelayFixture.AgentReply(emailId, inboxId, messageId);

        await WithFaultAsync(new { api = "agentmail", operation = "messages.reply", malformed_answer = true }, async () =>
        {
            fixture.Drop(name, reply.ToJsonString());
            await UntilFailedAsync(name);
        });

        await AssertGaveUpAsync(emailId, name);
    }

    private async Task AssertGaveUpAsync(Guid emailId, string name)
    {
        var row = Assert.Single(await fixture.QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("failed", 2), (row.State, row.Attempts));
        var reason = await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Failed, $"{name}.error.json"));
        Assert.Contains("not as documented", reason, StringComparison.Ordinal);
    }

    private Task<bool> UntilFailedAsync(string name) => Eventually.Until(
        () => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Failed, name))), failed => failed, Patience, "the file to reach failed/ after its attempts");

    private async Task WithFaultAsync(object rule, Func<Task> work)
    {
        using var added = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        added.EnsureSuccessStatusCode();
        var id = (await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        try
        {
            await work();
        }
        finally
        {
            (await fixture.Sandbox.Http.DeleteAsync($"sandbox/faults/{id}")).EnsureSuccessStatusCode();
        }
    }
}

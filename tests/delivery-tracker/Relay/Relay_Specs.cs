using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>Valid files go out through the right channel, once, and end in <c>sent/</c>, recorded, with their events published.</summary>
public sealed class Relay_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    /// <summary>An order confirmation: Resend, with our Message-ID, recorded and published as queued then sent.</summary>
    [Fact]
    public async Task Should_send_a_confirmation_through_resend_once_and_record_it()
    {
        using var host = Started();
        var emailId = Guid.NewGuid();
        var subject = $"Your order {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Contains("x_agent_note", await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Sent, name)), StringComparison.Ordinal);

        var row = Assert.Single(await fixture.QueryAsync<(string Provider, string State, string MessageId, string ProviderId, int Attempts, string File)>(
            "select provider, send_state, internet_message_id, provider_message_id, attempts, file_name from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("resend", "sent", $"<{emailId:N}@ordersmail.local>", 1, name), (row.Provider, row.State, row.MessageId, row.Attempts, row.File));
        Assert.Contains(await fixture.ResendEmailsAsync(), e => e["id"]!.GetValue<string>() == row.ProviderId);

        var events = await Eventually.Until(
            () => fixture.QueryAsync<string>("select message_type from outbox_messages where published_at is not null and payload::text like '%' || @id || '%' order by created_at", new { id = emailId.ToString() }),
            published => published.Count == 2,
            Patience,
            "OutboundEmailQueued and OutboundEmailSent to be published");
        Assert.Contains("Queued", events[0], StringComparison.Ordinal);
        Assert.Contains("Sent", events[1], StringComparison.Ordinal);
    }

    /// <summary>An agent reply: AgentMail's reply endpoint from the customer's inbox, its message_id recorded as the Message-ID.</summary>
    [Fact]
    public async Task Should_send_an_agent_reply_through_agentmail_in_the_customers_thread()
    {
        using var host = Started();
        var (inboxId, messageId) = await CustomerMessageAsync();
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var reply = JsonNode.Parse(RelayFixture.Email("Re: Where is my order?", emailId))!.AsObject();
        reply["kind"] = "agent_reply";
        reply["inbox_id"] = inboxId;
        reply["reply_to_message_id"] = messageId;
        fixture.Drop(name, reply.ToJsonString());

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the reply to reach sent/");
        var row = Assert.Single(await fixture.QueryAsync<(string Provider, string MessageId, string ProviderId)>(
            "select provider, internet_message_id, provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal("agentmail", row.Provider);
        Assert.Equal(row.ProviderId, row.MessageId);
        Assert.Equal(0, await fixture.SendsOfAsync("Re: Where is my order?"));
    }

    /// <summary>A second file with an email_id already picked up is not sent again: it goes to sent/ as a recorded duplicate.</summary>
    [Fact]
    public async Task Should_not_send_a_second_file_with_the_same_email_id()
    {
        using var host = Started();
        var emailId = Guid.NewGuid();
        var subject = $"Receipt {emailId:N}";
        fixture.Drop($"20250101T000000000Z-a-{emailId:N}.json", RelayFixture.Email(subject, emailId));
        await Eventually.Until(() => fixture.SendsOfAsync(subject), sends => sends == 1, Patience, "the first file to be sent");
        var second = $"20250101T000000001Z-b-{emailId:N}.json";
        fixture.Drop(second, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, second))), sent => sent, Patience, "the duplicate to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Single(await fixture.QueryAsync<string>("select file_name from outbound_email_duplicates where email_id = @emailId", new { emailId }), second);
    }

    private RelayHost Started()
    {
        var host = new RelayHost(fixture);
        _ = host.Server;
        return host;
    }

    private async Task<(string InboxId, string MessageId)> CustomerMessageAsync()
    {
        using var agentMail = new HttpClient { BaseAddress = new Uri(fixture.Sandbox.AgentMailBaseUrl + "/") };
        agentMail.DefaultRequestHeaders.Authorization = new("Bearer", "am_local_sandbox");
        var inbox = await (await agentMail.PostAsJsonAsync("v0/inboxes", new { username = $"cust-{Guid.NewGuid():N}"[..20] })).Content.ReadFromJsonAsync<JsonObject>();
        var inboxId = inbox!["inbox_id"]!.GetValue<string>();
        var sent = await agentMail.PostAsJsonAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages/send", new { to = "jane@example.com", subject = "Where is my order?", text = "Hello" });
        var message = await sent.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        return (inboxId, message!["message_id"]!.GetValue<string>());
    }
}

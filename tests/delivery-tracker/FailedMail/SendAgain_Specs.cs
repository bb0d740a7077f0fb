using OrdersMail.Testing.Hosting;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.FailedMail;

/// <summary>
/// <c>POST /outbox/failed/{file}/send-again</c>: an email that failed (refused by the provider, or a file that broke the
/// format) is sent again as a new email once its cause is fixed, exactly once however often ops ask.
/// </summary>
public sealed class SendAgain_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_send_a_refused_email_again_once_its_cause_is_fixed_and_only_once()
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();
        var emailId = Guid.NewGuid();
        var subject = $"Refused {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var fault = await SetFaultAsync(new { api = "resend", operation = "emails.*", error_status = 422, error_name = "invalid_parameter", times = 1000 });
        try
        {
            fixture.Drop(name, RelayFixture.Email(subject, emailId));
            await UntilFileAsync(fixture.Outbox.Failed, name, "the refused email to reach failed/");
        }
        finally
        {
            (await fixture.Sandbox.Http.DeleteAsync($"sandbox/faults/{fault}")).EnsureSuccessStatusCode();
        }

        Assert.Equal(0, await fixture.SendsOfAsync(subject));

        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var copy = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        var copyId = EmailIdentity.SendAgainOf(emailId);
        Assert.Equal(copyId, copy["email_id"]!.GetValue<Guid>());
        Assert.Equal(emailId, copy["sent_again_of"]!.GetValue<Guid>());
        var copyName = copy["file"]!.GetValue<string>();

        await UntilFileAsync(fixture.Outbox.Sent, copyName, "the copy to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        var sentCopy = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Sent, copyName)))!.AsObject();
        Assert.Equal("kept", sentCopy["x_agent_note"]!.GetValue<string>());
        Assert.Equal(emailId.ToString(), sentCopy["sent_again_of"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(fixture.Outbox.Failed, name)), "the failed file stays in failed/, the record of what failed");
        var states = await fixture.QueryAsync<(Guid Id, string State)>(
            "select email_id, send_state from outbound_emails where email_id = any(@ids)", new { ids = new[] { emailId, copyId } });
        Assert.Equal("failed", states.Single(s => s.Id == emailId).State);
        Assert.Equal("sent", states.Single(s => s.Id == copyId).State);
        var queued = Assert.Single(await fixture.QueryAsync<string>(
            "select payload::text from outbox_messages where message_type like '%.OutboundEmailQueued' and payload::text like '%' || @id || '%'",
            new { id = copyId.ToString() }));
        Assert.Contains(emailId.ToString(), queued, StringComparison.Ordinal);

        using var again = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var conflict = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(copyId, conflict["copy_id"]!.GetValue<Guid>());
        Assert.Equal("sent", conflict["copy_state"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
    }

    /// <summary>
    /// A relay claims the copy (renames it into its corner of processing/) before its row commits: a new Resend email's
    /// row commits with its batch's membership. Asked again then, it answered 202 with a second file of the copy, as
    /// it looked only at the rows and email/.
    /// </summary>
    [Fact]
    public async Task Should_refuse_to_send_again_while_a_relay_holds_the_copy_before_its_row()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:Workers"] = "1" });
        using var http = host.CreateClient().WithOpsKey();

        // The host's only worker is held in a reply's send, so the copy waits in email/ for the test's own relay to claim it.
        var (inboxId, messageId) = await fixture.CustomerMessageAsync();
        await SetFaultAsync(new { api = "agentmail", operation = "messages.reply", latency_ms = 10_000, times = 1 });
        var replyId = Guid.NewGuid();
        fixture.Drop($"20250101T000000000Z-{replyId:N}.json", RelayFixture.AgentReply(replyId, inboxId, messageId).ToJsonString());
        await Eventually.Until(
            () => fixture.QueryAsync<Guid>("select email_id from outbound_emails where email_id = @replyId", new { replyId }),
            rows => rows.Count == 1,
            Patience,
            "the reply's row before its send, the worker held in it");

        var emailId = Guid.NewGuid();
        var subject = $"Claimed {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Failed, name), RelayFixture.Email(subject, emailId));
        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var copyName = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["file"]!.GetValue<string>();
        var relay = new ClaimArea(fixture.Outbox);
        relay.Open();
        Assert.True(relay.TryClaim(copyName), $"{copyName} claimed from email/");

        using var again = await http.PostAsync($"/outbox/failed/{name}/send-again", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var conflict = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        var copyId = EmailIdentity.SendAgainOf(emailId);
        Assert.Equal(copyId, conflict["copy_id"]!.GetValue<Guid>());
        Assert.Equal("processing", conflict["copy_state"]!.GetValue<string>());
        Assert.Equal(copyName, conflict["copy_file"]!.GetValue<string>());

        // Given back, the one copy is sent once, with no second file of it beside.
        relay.Release(copyName);
        Directory.Delete(relay.Mine, recursive: true);
        await UntilFileAsync(fixture.Outbox.Sent, copyName, "the copy to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Equal([copyName], RelayFixture.Files(fixture.Outbox.Sent).Concat(RelayFixture.Files(fixture.Outbox.Pending)).Where(f => f.EndsWith($"-{copyId:N}.json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Should_refuse_a_file_still_invalid_and_send_it_once_corrected_in_place()
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();
        var emailId = Guid.NewGuid();
        var subject = $"Corrected {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        var invalid = JsonNode.Parse(RelayFixture.Email(subject, emailId))!.AsObject();
        invalid["to"] = "jane@example.com";
        fixture.Drop(name, invalid.ToJsonString());
        await UntilFileAsync(fixture.Outbox.Failed, name, "the invalid file to reach failed/");

        using var refused = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("to", problem["field"]!.GetValue<string>());
        Assert.Contains("Correct it in failed/", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(RelayFixture.Files(fixture.Outbox.Pending), f => f.EndsWith($"{EmailIdentity.SendAgainOf(emailId):N}.json", StringComparison.Ordinal));

        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Failed, name), RelayFixture.Email(subject, emailId));
        using var asked = await http.PostAsync($"/outbox/failed/{name}/send-again", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var copyName = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["file"]!.GetValue<string>();
        await UntilFileAsync(fixture.Outbox.Sent, copyName, "the corrected copy to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
    }

    /// <summary>An id written in a notation other than the UUID's JSON form is invalid (422, naming it), not a server error.</summary>
    [Fact]
    public async Task Should_refuse_a_failed_file_whose_email_id_is_not_in_the_uuid_form()
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();
        var name = $"20250101T000000000Z-{Guid.NewGuid():N}.json";
        var file = JsonNode.Parse(RelayFixture.Email("Without dashes"))!.AsObject();
        file["email_id"] = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(fixture.Outbox.Failed);
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Failed, name), file.ToJsonString());

        using var refused = await http.PostAsync($"/outbox/failed/{name}/send-again", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("email_id", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["field"]!.GetValue<string>());
    }

    /// <summary>A failed file whose fields cannot be read is still invalid (422, with the reason), not a server error.</summary>
    [Theory]
    [MemberData(nameof(UnreadableFiles.Cases), MemberType = typeof(UnreadableFiles))]
    public async Task Should_refuse_a_failed_file_whose_fields_cannot_be_read(string label, byte[] content, string reason)
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();
        var name = $"20250101T000000000Z-{label}-{Guid.NewGuid():N}.json";
        Directory.CreateDirectory(fixture.Outbox.Failed);
        await File.WriteAllBytesAsync(Path.Combine(fixture.Outbox.Failed, name), content);

        using var refused = await http.PostAsync($"/outbox/failed/{name}/send-again", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("(file)", problem["field"]!.GetValue<string>());
        Assert.Contains(reason, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>126 two-byte letters: 131 characters, 257 bytes, too long for a file name (or a failed file's note), not a 500.</summary>
    [Fact]
    public async Task Should_answer_a_name_too_long_for_a_failed_file_with_a_problem()
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();

        using var answer = await http.PostAsync($"/outbox/failed/{string.Concat(Enumerable.Repeat("%C3%A9", 126))}.json/send-again", null);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Theory]
    [InlineData("..%2Femail%2Fx.json", HttpStatusCode.BadRequest)]
    [InlineData("x.json.error.json", HttpStatusCode.BadRequest)]
    [InlineData("notes.txt", HttpStatusCode.BadRequest)]
    [InlineData(".hidden.json", HttpStatusCode.BadRequest)]
    [InlineData("20250101T000000000Z-never-failed.json", HttpStatusCode.NotFound)]
    public async Task Should_answer_a_name_that_is_no_failed_file_with_a_problem(string file, HttpStatusCode expected)
    {
        using var host = new RelayHost(fixture);
        using var http = host.CreateClient().WithOpsKey();

        using var answer = await http.PostAsync($"/outbox/failed/{file}/send-again", null);

        Assert.Equal(expected, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty((await answer.Content.ReadFromJsonAsync<JsonObject>())!["detail"]?.GetValue<string>()));
    }

    private async Task<string> SetFaultAsync(object rule)
    {
        using var answer = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static Task<bool> UntilFileAsync(string folder, string name, string what) =>
        Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(folder, name))), found => found, Patience, what);
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// New Resend emails go out in batches (<c>POST /emails/batch</c>) whose membership is committed before the send:
/// a batch whose answer is lost is sent again as it was, under the same key, and nothing is sent twice; a batch
/// Resend refuses sends its good emails on their own.
/// </summary>
public sealed class Batch_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Resend takes the batch but its answer is held past the client's timeout, and the client does not retry at once:
    /// the relay records an attempt for each member, sends the same batch again later, and Resend replays its ids.
    /// </summary>
    [Fact]
    public async Task Should_send_a_batch_whose_answer_was_lost_again_under_the_same_key_and_send_each_email_once()
    {
        await AddFaultAsync(new { api = "resend", operation = "emails.batch", answer_delay_ms = 4_000, times = 1 });
        using var host = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:AttemptTimeout"] = "00:00:01",
            ["Resend:MaxRetries"] = "0",
            ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.300",
        });
        _ = host.Server;
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Drop(run, "Lost answer", 5);

        await Eventually.Until(() => Task.FromResult(names.All(SentFile)), sent => sent, Patience, "every file to reach sent/");

        var sent = await SentAsync($"Lost answer {run} ");
        Assert.Equal(5, sent.Count);
        var rows = await fixture.QueryAsync<(string State, int Attempts, string ProviderId, Guid BatchId)>(
            "select send_state, attempts, provider_message_id, batch_id from outbound_emails where file_name like @run", new { run = $"%-{run}-%" });
        Assert.All(rows, r => Assert.Equal("sent", r.State));
        Assert.Equal(sent.Values.Order(), rows.Select(r => r.ProviderId).Order());
        Assert.Contains(rows, r => r.Attempts > 1);
        var faults = await fixture.Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults");
        Assert.DoesNotContain(faults!["faults"]!.AsArray(), f => f!["operation"]!.GetValue<string>() == "emails.batch");
    }

    /// <summary>
    /// Strict mode: one email Resend will not take (a reply_to that is no address, which the outbox format leaves to
    /// the provider) refuses its whole batch. Nothing of it was sent, so each member goes alone: the good ones are sent
    /// once, the bad one goes to failed/ with Resend's answer.
    /// </summary>
    [Fact]
    public async Task Should_send_the_good_emails_of_a_refused_batch_on_their_own_and_fail_only_the_bad_one()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.500" });
        _ = host.Server;
        var run = Guid.NewGuid().ToString("N")[..8];
        var bad = $"20250101T000000000Z-{run}-bad.json";
        var email = JsonNode.Parse(RelayFixture.Email($"Strict {run} bad"))!.AsObject();
        email["reply_to"] = "not an address";
        var names = Drop(run, "Strict", 3);
        fixture.Drop(bad, email.ToJsonString());

        await Eventually.Until(() => Task.FromResult(names.All(SentFile) && File.Exists(Path.Combine(fixture.Outbox.Failed, bad))), done => done, Patience, "the good files in sent/, the bad one in failed/");

        var sent = await SentAsync($"Strict {run} ");
        Assert.Equal(3, sent.Count);
        Assert.DoesNotContain($"Strict {run} bad", sent.Keys);
        var reason = await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Failed, $"{bad}.error.json"));
        Assert.Contains("validation_error", reason, StringComparison.Ordinal);
        var badId = Guid.Parse(email["email_id"]!.GetValue<string>());
        var refused = Assert.Single(await fixture.QueryAsync<Guid[]>("select email_ids from resend_batches where @badId = any(email_ids)", new { badId }));
        Assert.True(refused.Length > 1, "the bad email was refused in a batch with others, which were then sent on their own");
        Assert.Empty(await fixture.QueryAsync<Guid>("select email_id from outbound_emails where email_id = any(@refused) and batch_id is not null", new { refused }));
    }

    /// <summary>
    /// A file whose subject holds a NUL, which PostgreSQL cannot store, among files batched together: it goes to failed/
    /// with its reason, and the others are sent, instead of the batch's commit failing for all of them on every round.
    /// </summary>
    [Fact]
    public async Task Should_send_the_other_files_of_a_batch_when_one_cannot_be_stored()
    {
        // One request a second leaves no token spare, so every email is a batch member.
        using var host = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:RequestsPerSecond"] = "1",
            ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.500",
        });
        _ = host.Server;
        var run = Guid.NewGuid().ToString("N")[..8];
        var poison = $"20250101T000000000Z-{run}-nul.json";
        var names = Drop(run, "Beside a NUL", 3);
        fixture.Drop(poison, RelayFixture.Email($"Beside a NUL {run} \0"));

        await Eventually.Until(() => Task.FromResult(names.All(SentFile) && File.Exists(Path.Combine(fixture.Outbox.Failed, poison))), done => done, Patience, "the good files in sent/, the one with a NUL in failed/");

        Assert.Equal(3, (await SentAsync($"Beside a NUL {run} ")).Count);
        var reason = await File.ReadAllTextAsync(Path.Combine(fixture.Outbox.Failed, $"{poison}.error.json"));
        Assert.Contains("NUL", reason, StringComparison.Ordinal);
    }

    /// <summary>Four files, each with the email_id of one email: one send, one row, the others in sent/ as duplicates.</summary>
    [Fact]
    public async Task Should_send_an_email_carried_by_several_files_of_one_batch_once()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.300" });
        _ = host.Server;
        var run = Guid.NewGuid().ToString("N")[..8];
        var emailId = Guid.NewGuid();
        var names = Enumerable.Range(0, 4).Select(i => $"20250101T000000000Z-{run}-{i}.json").ToList();
        names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"Same id {run}", emailId)));

        await Eventually.Until(() => Task.FromResult(names.All(SentFile)), sent => sent, Patience, "every file to reach sent/");

        Assert.Equal(1, await fixture.SendsOfAsync($"Same id {run}"));
        Assert.Equal(3, (await fixture.QueryAsync<string>("select file_name from outbound_email_duplicates where email_id = @emailId", new { emailId })).Count);
    }

    /// <summary>
    /// Two orders' emails sent in one batch: the send runs under a <c>resend batch</c> span linked to each file's trace,
    /// and Resend's call is its child. Sent from the batcher's loop, where no span is current, the call was a root span
    /// in a trace of its own that nothing led to, and Resend's webhooks for both emails (the sandbox stamps them with
    /// the request's traceparent) landed there too.
    /// </summary>
    [Fact]
    public async Task Should_send_a_batch_under_a_span_linked_to_each_members_trace_with_resends_call_its_child()
    {
        var spans = new ExportedSpanCollection();

        // One request a second leaves no token spare, so every email is a batch member.
        using var relay = new RelayHost(fixture, new Dictionary<string, string?>
        {
            ["Resend:RequestsPerSecond"] = "1",
            ["DeliveryTracker:Relay:BatchWindow"] = "00:00:00.500",
        });
        using var host = relay.WithWebHostBuilder(b => b.ConfigureServices(spans.ExportFrom));
        var run = Guid.NewGuid().ToString("N")[..8];
        var emails = Enumerable.Range(0, 2).Select(_ => TracedEmail.New(run)).ToList();
        emails.ForEach(e => fixture.Drop(e.Name, e.Json($"Traced batch {run} {e.EmailId:N}")));
        _ = host.Server;

        await Eventually.Until(() => Task.FromResult(emails.All(e => SentFile(e.Name))), sent => sent, Patience, "both files to reach sent/");

        var batchId = Assert.Single(await fixture.QueryAsync<Guid>(
            "select batch_id from resend_batches where @first = any(email_ids) and @second = any(email_ids)", new { first = emails[0].EmailId, second = emails[1].EmailId }));
        var batch = await Eventually.Until(
            () => Task.FromResult(spans.Snapshot().FirstOrDefault(s => s.DisplayName == "resend batch" && (string?)s.GetTagItem("ordersmail.resend.batch_id") == batchId.ToString())),
            s => s is not null,
            Patience,
            $"the span of batch {batchId} to be exported");
        Assert.Equal("delivery-tracker", batch!.Source.Name);
        Assert.Equal(2, batch.GetTagItem("ordersmail.resend.batch_size"));
        Assert.Equal(emails.Select(e => e.TraceId.ToString()).Order(), batch.Links.Select(l => l.Context.TraceId.ToString()).Order());

        // Activity listeners are the process's: the collection holds the spans of other classes' hosts too.
        var call = Assert.Single(spans.InTrace(batch.TraceId).DistinctBy(s => s.SpanId), s => s.Kind == ActivityKind.Client && s.ParentSpanId == batch.SpanId && SandboxPath(s).Contains("/resend/", StringComparison.Ordinal));
        Assert.EndsWith("/resend/emails/batch", SandboxPath(call), StringComparison.Ordinal);
    }

    private List<string> Drop(string run, string subject, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"20250101T000000000Z-{run}-{i:D3}.json").ToList();
        names.ForEach(name => fixture.Drop(name, RelayFixture.Email($"{subject} {run} {name}")));
        return names;
    }

    private static string SandboxPath(Activity span) => span.GetTagItem("url.full") as string ?? "";

    private bool SentFile(string name) => File.Exists(Path.Combine(fixture.Outbox.Sent, name));

    // Resend's ids by subject, failing the spec if any subject was sent twice.
    private async Task<Dictionary<string, string>> SentAsync(string subjectPrefix)
    {
        var emails = (await fixture.ResendEmailsAsync()).Where(e => e["subject"]!.GetValue<string>().StartsWith(subjectPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(emails.Count, emails.Select(e => e["subject"]!.GetValue<string>()).Distinct().Count());
        return emails.ToDictionary(e => e["subject"]!.GetValue<string>(), e => e["id"]!.GetValue<string>());
    }

    private async Task AddFaultAsync(object rule)
    {
        using var response = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
    }
}

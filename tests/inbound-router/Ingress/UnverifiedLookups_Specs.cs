using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>
/// An event naming an inbox the router does not know makes it ask AgentMail which webhook feeds that inbox, before the
/// event is verified. Anyone can send such events, so the questions share a budget (here 2 a second): forged events
/// naming ever new inboxes reach AgentMail no faster than that, and a real event refused while the budget is spent is
/// taken when it comes again, as Svix sends it.
/// </summary>
public sealed class UnverifiedLookups_Specs : IAsyncLifetime
{
    private const int PerSecond = 2;
    private const string Exhausted = "Too many events for inboxes this router has still to look up";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string ForgedSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a-secret-nobody-was-given-32byte"));

    private readonly RouterWorld _world = new(new Dictionary<string, string?> { ["InboundRouter:Ingress:UnverifiedLookupsPerSecond"] = $"{PerSecond}" });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_ask_agentmail_about_forged_events_for_unknown_inboxes_no_faster_than_the_budget()
    {
        // Every question about an inbox's webhooks is answered 404 and counted by the sandbox.
        await _world.FaultAsync(new { api = "agentmail", operation = "inbox_webhooks.list", error_status = 404 });
        var clock = Stopwatch.StartNew();

        // All at once, as a flood comes: sent one after another on busy cores, they could arrive slower than the budget refills.
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => PostForgedAsync($"forged{i}@agentmail.to")));

        var seconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);
        var asked = await _world.FaultsAppliedAsync();
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.InRange(asked, 1, PerSecond * (seconds + 1));
        Assert.Contains(answers, a => a.Detail.Contains(Exhausted, StringComparison.Ordinal));
        Assert.Equal(0, await _world.CountAsync("received_events"));
    }

    [Fact]
    public async Task Should_take_a_real_event_refused_while_the_budget_was_spent_when_it_comes_again()
    {
        // AgentMail knows the inbox and its webhook; the router has not heard of it (no InboxReady), so it must ask.
        var (inboxId, _, secret) = await _world.ProvisionAsync("ORD-BUDGET");
        var body = ReceivedEvents.For(inboxId);
        var forged = 0;
        while (!(await PostForgedAsync($"spent{forged++}@agentmail.to")).Detail.Contains(Exhausted, StringComparison.Ordinal))
        {
            Assert.True(forged < 100, "The budget was never spent.");
        }

        var first = await _world.PostSignedAsync(body, secret);
        var again = await Eventually.Until(() => _world.PostSignedAsync(body, secret), r => r.StatusCode == HttpStatusCode.Accepted, Timeout, "the event to be taken again");

        Assert.Contains(first.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Accepted });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(1, await _world.CountAsync("received_events"));
    }

    private async Task<(HttpStatusCode Status, string Detail)> PostForgedAsync(string inboxId)
    {
        using var answer = await _world.PostSignedAsync(ReceivedEvents.For(inboxId), ForgedSecret);
        using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return (answer.StatusCode, problem.RootElement.GetProperty("detail").GetString() ?? "");
    }

}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.Journey;
using OrdersMail.Testing.Infrastructure;
using Xunit.Abstractions;

namespace OrdersMail.EndToEnd.Tests.Journey;

/// <summary>
/// The journey deploy/local/up.sh plays, played by the same code (tools/journey) against the same programs run the
/// same way: separate processes on real PostgreSQL and RabbitMQ, the sandbox as AgentMail, Resend and Clerk.
/// </summary>
public sealed class CustomerJourney_Specs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestInfrastructure _infrastructure = new();

    private RunningSystem? _system;

    private RunningSystem System => _system ?? throw new InvalidOperationException("not started");

    [Fact]
    public async Task Should_take_an_order_from_placement_to_the_agents_delivered_reply_in_the_customers_thread()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var journey = new CustomerJourney(http, System.JourneySettings, step => output.WriteLine($"{step.Elapsed.TotalSeconds,5:0.0} s  {step.Name}: {step.Figure}"));

        JourneyOutcome outcome;
        try
        {
            outcome = await journey.RunAsync(CancellationToken.None);
        }
        catch (JourneyStepFailedException failed)
        {
            throw new Xunit.Sdk.XunitException($"{failed.Message}\n{failed.LookAt}'s output ends:\n{System.OutputOf(failed.LookAt)}");
        }

        Assert.Equal(
            [
                "order placed",
                "inbox provisioned",
                "webhook read back and verified",
                "confirmation sent and delivered",
                "the customer writes to the inbox",
                "verified and routed to the order",
                "the agent's reply sent in the thread and delivered",
            ],
            outcome.Steps.Select(s => s.Name));
        Assert.Matches("^ORD-", outcome.OrderRef);
        Assert.NotEqual(outcome.CustomerMessageId, outcome.ReplyMessageId);

        // Exactly once, seen where the customer sees it: one confirmation in Resend, one answer in the thread.
        var sandbox = System.JourneySettings.Sandbox;
        var emails = (await http.GetFromJsonAsync<JsonObject>(new Uri(sandbox, "sandbox/resend/emails")))!["data"]!.AsArray();
        Assert.Single(emails, e => e!["subject"]!.GetValue<string>().Contains(outcome.OrderRef, StringComparison.Ordinal));
        using var thread = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox, $"agentmail/v0/inboxes/{Uri.EscapeDataString(outcome.Inbox)}/messages"));
        thread.Headers.Authorization = new("Bearer", "am_journey_spec");
        using var answer = await http.SendAsync(thread);
        var messages = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["messages"]!.AsArray();
        Assert.Single(messages, m => m!["in_reply_to"]?.GetValue<string>() == outcome.CustomerMessageId);
    }

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _system = await RunningSystem.StartAsync(_infrastructure);
    }

    public async Task DisposeAsync()
    {
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }

        await _infrastructure.DisposeAsync();
    }
}

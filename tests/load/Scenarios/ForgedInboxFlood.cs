using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The attack's flood: forged events naming ever new inboxes, 16 in flight. Each makes the router ask AgentMail which
/// webhook feeds that inbox before anything is verified, so the questions must stay within the router's budget (README
/// "inbound-router", <c>Ingress:UnverifiedLookupsPerSecond</c>): AgentMail's rate limit is the organisation's, and
/// provisioning needs it. Every event must be refused, and none recorded (the attack's side-effect check).
/// </summary>
public static class ForgedInboxFlood
{
    private const int Events = 400;
    private const int InFlight = 16;

    // The router's default; up.sh leaves it as it is.
    private const int BudgetPerSecond = 20;

    /// <summary>Sends the flood and checks what AgentMail was asked.</summary>
    public static async Task RunAsync(ScenarioContext context, AttackSetup setup, ScenarioReport report, string scenario)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(report);

        // Counts the router's questions about an inbox's webhooks, answered as AgentMail answers for an inbox it does not know.
        await using var faults = new SandboxFaults(context.Http, context.System.Sandbox);
        await faults.AddAsync("asked", new { api = "agentmail", operation = "inbox_webhooks.list", error_status = 404 });
        var url = new Uri(context.System.InboundRouter, "webhooks/agentmail");
        var template = JsonNode.Parse(setup.AgentMailDelivery["body"]!.GetValue<string>())!.ToJsonString();
        var clock = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        foreach (var wave in Enumerable.Range(0, Events).Chunk(InFlight))
        {
            statuses.AddRange(await Task.WhenAll(wave.Select(i => PostAsync(context.Http, url, Forged(template, setup.InboxOfB, i)))));
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var asked = (await faults.AppliedAsync())["asked"];
        var allowed = BudgetPerSecond * ((int)Math.Ceiling(seconds) + 1);
        var refused = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        report.Check(scenario, "forged events naming new inboxes asked AgentMail no faster than the router's budget, each refused",
            asked <= allowed && refused == Events,
            string.Create(CultureInfo.InvariantCulture, $"{Events} events in {seconds:0.0} s, {refused} refused 401; AgentMail asked {asked} times, at most {allowed} allowed ({BudgetPerSecond}/s)"));
        report.Measured(scenario, "forged events for new inboxes: AgentMail questions per event", Events == 0 ? 0 : (double)asked / Events, "questions");
    }

    // The real delivery's event about an inbox nobody has, under a new event id, signed with a secret nobody was given.
    private static (byte[] Body, Dictionary<string, string> Headers) Forged(string template, string realInbox, int i)
    {
        var json = JsonNode.Parse(template.Replace(realInbox, $"flood{i}.{Guid.NewGuid():N}@agentmail.to", StringComparison.Ordinal))!.AsObject();
        json["event_id"] = $"evt_flood_{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        return (body, new Dictionary<string, string>(SvixSigner.Headers(SvixSigner.ForgedSecret(), $"msg_flood_{Guid.NewGuid():N}", DateTimeOffset.UtcNow, body)));
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, Uri url, (byte[] Body, Dictionary<string, string> Headers) forged)
    {
        using var request = WebhookAttacks.Request(url, forged.Body, "application/json", forged.Headers);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

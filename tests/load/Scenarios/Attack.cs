using System.Globalization;
using System.Text.Json;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Scenario 5: hostile requests at orders-api and both webhook ingresses, and absurd input at every route the services
/// describe (<see cref="RouteSweepAttacks"/>), then a flood of forged events naming new inboxes (<see cref="ForgedInboxFlood"/>),
/// against a system that has finished its own work. Every one must be refused with the status the README documents, none may answer 5xx, and nothing may
/// be written (row counts of the services' tables), published (the broker's totals) or sent (the sandbox's logs).
/// Then a forged email (<see cref="ForgedMail"/>).
/// </summary>
public static class Attack
{
    /// <summary>The scenario's name in the table.</summary>
    public const string Name = "attack";

    private static readonly TimeSpan QuietApart = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Prepares, attacks, and checks.</summary>
    public static async Task RunAsync(ScenarioContext context, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        Console.WriteLine($"{Name}: preparing two customers, an inbox, a real AgentMail and a real Resend delivery");
        var setup = await AttackSetup.PrepareAsync(context);
        var badTokens = new Dictionary<string, string>();
        foreach (var mode in new[] { "expired", "not_yet_valid", "pending", "foreign_azp", "foreign_key", "no_sub" })
        {
            badTokens[mode] = await context.Sandbox.MintTokenAsync($"user_attack_{mode}", mode);
        }

        var cases = OrdersApiAttacks.Cases(context.System.OrdersApi, setup, badTokens)
            .Concat(WebhookAttacks.AgentMailCases(context.System.InboundRouter, setup))
            .Concat(WebhookAttacks.ResendCases(context.System.DeliveryTracker, setup))
            .Concat(await RouteSweepAttacks.CasesAsync(context, setup))
            .ToList();

        Console.WriteLine($"{Name}: waiting for the system to go quiet (snapshots {QuietApart.TotalSeconds:0} s apart agree)");
        var (before, settled) = await SideEffects.WhenQuietAsync(context, QuietApart, QuietTimeout);
        if (!settled)
        {
            report.Note($"{Name}: the system did not go quiet within {QuietTimeout.TotalMinutes:0} min; the side-effect check may blame the attack for the system's own work");
        }

        Console.WriteLine($"{Name}: sending {cases.Count} hostile requests");
        var results = new List<AttackResult>();
        foreach (var attack in cases)
        {
            results.Add(await SendAsync(context, attack));
        }

        await ForgedInboxFlood.RunAsync(context, setup, report, Name);

        // The broker's statistics refresh every 5 s: read after that, so a publish the attack caused shows.
        await Task.Delay(QuietApart);
        var after = await SideEffects.ReadAsync(context);

        foreach (var target in results.GroupBy(r => r.Case.Target))
        {
            var wrong = target.Where(r => !r.Refused)
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Case.Name}: {r.Status}, expected {string.Join("/", r.Case.Expected)}"))
                .ToList();
            report.Check(Name, $"{target.Key}: every hostile request answered as documented", wrong.Count == 0,
                wrong.Count == 0 ? $"{target.Count()} requests" : string.Join(" | ", wrong));
        }

        // A refusal says what is wrong: a problem with a detail, whatever the ingress (a closed connection has no body).
        var mute = results.Where(r => r.Status is >= 400 and < 500 && string.IsNullOrWhiteSpace(r.Why)).Select(r => $"{r.Case.Target} {r.Case.Name}: {r.Status}").ToList();
        report.Check(Name, "every refusal answered with a problem saying what is wrong", mute.Count == 0,
            mute.Count == 0 ? $"{results.Count(r => r.Status is >= 400 and < 500)} refusals" : string.Join(" | ", mute));
        var errors = results.Where(r => r.Status is >= 500 or 0).Select(r => $"{r.Case.Target} {r.Case.Name}: {r.Status}").ToList();
        report.Check(Name, "no 5xx (nor unanswered request)", errors.Count == 0, errors.Count == 0 ? $"{results.Count} requests" : string.Join(" | ", errors));
        var changed = after.Differences(before);
        report.Check(Name, "nothing written, published or sent (tables, broker, sandbox)", changed.Count == 0,
            changed.Count == 0 ? $"{before.Counts.Count} counts unchanged" : string.Join(" | ", changed));
        report.Measured(Name, "hostile requests sent", results.Count, "requests");
        await ForgedMail.RunAsync(context, setup, report, Name);
        if (context.System.ServicePid("orders-api") is { } ordersApi)
        {
            report.AtMost(Name, "orders-api resident after the attack", ProcessMeter.ResidentMegabytes(ordersApi) ?? 0, "MB", 150);
        }
    }

    private static async Task<AttackResult> SendAsync(ScenarioContext context, AttackCase attack)
    {
        try
        {
            using var response = await attack.Send(context.Http);
            return new AttackResult(attack, (int)response.StatusCode, await ProblemSaysAsync(response));
        }
        catch (HttpRequestException e)
        {
            // A server may close the connection on an oversize body before reading it; that is a refusal without a status.
            Console.WriteLine($"  {attack.Target} {attack.Name}: no answer ({e.Message})");
            return new AttackResult(attack, 0, null);
        }
    }

    private static async Task<string?> ProblemSaysAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString();
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.EnumerateObject().Any())
            {
                return errors.GetRawText();
            }

            return root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String && title.GetString() != response.ReasonPhrase
                ? title.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.Control;

/// <summary>
/// The sandbox's own API under <c>/sandbox</c>: reset, fault rules, and the webhook attempts log. The
/// per-API controls (deliver an inbound email, mark addresses as bouncing, Resend webhook endpoints) are
/// mapped beside these by each API's folder.
/// </summary>
public static class ControlEndpoints
{
    /// <summary>Maps the shared control endpoints on the <c>/sandbox</c> group.</summary>
    public static RouteGroupBuilder MapSandboxControl(this RouteGroupBuilder sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);

        sandbox.MapPost("/reset", (IEnumerable<ISandboxState> states, FaultRegistry faults, WebhookDispatcher webhooks) =>
        {
            foreach (var state in states)
            {
                state.Reset();
            }

            faults.Clear();
            webhooks.Reset();
            return Results.NoContent();
        });

        sandbox.MapPost("/faults", (FaultRule rule, FaultRegistry faults) =>
        {
            try
            {
                return Results.Json(faults.Add(rule), SandboxJson.Options, statusCode: 201);
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, SandboxJson.Options, statusCode: 400);
            }
        });
        sandbox.MapGet("/faults", (FaultRegistry faults) => Results.Json(new { faults = faults.All() }, SandboxJson.Options));
        sandbox.MapDelete("/faults/{id}", (string id, FaultRegistry faults) =>
            faults.Remove(id) ? Results.NoContent() : Results.Json(new { error = $"No fault {id}." }, SandboxJson.Options, statusCode: 404));
        sandbox.MapDelete("/faults", (FaultRegistry faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        sandbox.MapGet("/webhook-attempts", (string? api, string? endpoint_id, string? svix_id, string? event_type, WebhookDispatcher webhooks) =>
            Results.Json(new { attempts = webhooks.Attempts(api, endpoint_id, svix_id, event_type), recorded = webhooks.Recorded(api) }, SandboxJson.Options));

        return sandbox;
    }
}

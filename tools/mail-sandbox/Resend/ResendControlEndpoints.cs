using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// The sandbox's Resend controls under <c>/sandbox/resend</c> (no key): webhook endpoints (Resend's dashboard
/// stands in here), designated recipients that bounce, are delayed or complain, and the emails accepted so far.
/// Errors are the control API's own <c>{error}</c>.
/// </summary>
public static class ResendControlEndpoints
{
    /// <summary>Maps the controls.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);

        sandbox.MapPost("/webhooks", (WebhookEndpointRequest body, ResendStore store, TimeProvider time) =>
        {
            if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                return Error(400, "url must be an absolute http or https URL.");
            }

            var unknown = body.Events?.Where(e => !ResendEventTypes.All.Contains(e)).ToList() ?? [];
            if (body.Events is { Count: 0 } || unknown.Count > 0)
            {
                return Error(400, $"events must be omitted (all) or list some of: {string.Join(", ", ResendEventTypes.All)}.");
            }

            var endpoint = new ResendWebhookEndpoint
            {
                Id = Guid.NewGuid().ToString(),
                Url = url.ToString(),
                Events = body.Events ?? ResendEventTypes.All,
                SigningSecret = SvixSignature.NewSecret(),
                CreatedAt = time.GetUtcNow(),
            };
            store.AddEndpoint(endpoint);
            return Results.Json(endpoint, SandboxJson.Options, statusCode: 201);
        });
        sandbox.MapGet("/webhooks", (ResendStore store) => Results.Json(new { data = store.Endpoints() }, SandboxJson.Options));
        sandbox.MapGet("/webhooks/{id}", (string id, ResendStore store) =>
            store.FindEndpoint(id) is { } endpoint ? Results.Json(endpoint, SandboxJson.Options) : Error(404, $"No webhook {id}."));
        sandbox.MapDelete("/webhooks/{id}", (string id, ResendStore store) =>
            store.RemoveEndpoint(id) ? Results.NoContent() : Error(404, $"No webhook {id}."));

        sandbox.MapPost("/recipients", (DesignationRequest body, DesignatedRecipients recipients) =>
        {
            if (body.Address is null || EmailAddress.Bare(body.Address) is not { } address || address != body.Address.Trim())
            {
                return Error(400, "address must be a bare email address.");
            }

            if (body.Outcome is null || !DesignatedRecipients.Outcomes.Contains(body.Outcome))
            {
                return Error(400, $"outcome must be one of: {string.Join(", ", DesignatedRecipients.Outcomes)}.");
            }

            recipients.Designate(address, body.Outcome);
            return Results.Json(new { address, outcome = body.Outcome }, SandboxJson.Options, statusCode: 201);
        });
        sandbox.MapGet("/recipients", (DesignatedRecipients recipients) =>
            Results.Json(new { data = recipients.All().Select(r => new { address = r.Key, outcome = r.Value }) }, SandboxJson.Options));
        sandbox.MapDelete("/recipients/{address}", (string address, DesignatedRecipients recipients) =>
            recipients.Remove(address) ? Results.NoContent() : Error(404, $"{address} has no outcome."));
        sandbox.MapDelete("/recipients", (DesignatedRecipients recipients) =>
        {
            recipients.Clear();
            return Results.NoContent();
        });

        sandbox.MapGet("/emails", (ResendStore store) => Results.Json(new { data = store.Emails().Select(e => e.ToDeliveredView()) }, SandboxJson.Options));
        return sandbox;
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, SandboxJson.Options, statusCode: status);
}

/// <summary>The body of <c>POST /sandbox/resend/webhooks</c>.</summary>
/// <param name="Url">Where events go.</param>
/// <param name="Events">The event types it receives; omitted: all.</param>
public sealed record WebhookEndpointRequest(string? Url, IReadOnlyList<string>? Events);

/// <summary>The body of <c>POST /sandbox/resend/recipients</c>.</summary>
/// <param name="Address">A bare address.</param>
/// <param name="Outcome"><c>bounced</c>, <c>delivery_delayed</c> or <c>complained</c>.</param>
public sealed record DesignationRequest(string? Address, string? Outcome);

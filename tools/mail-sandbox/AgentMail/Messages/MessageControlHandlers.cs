using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// The sandbox's AgentMail controls (no API key): deliver an inbound email to an inbox, and mark recipient
/// addresses as bouncing, complaining or rejecting (<see cref="OutboundSender"/>). Errors use AgentMail's error body, like the API they stand beside.
/// </summary>
internal static class MessageControlHandlers
{
    /// <summary><c>POST /sandbox/agentmail/inboxes/{inbox_id}/messages</c>: answers the stored <c>Message</c>.</summary>
    public static async Task<IResult> DeliverAsync([FromRoute(Name = "inbox_id")] string inboxId, HttpRequest http, AgentMailStore store, AgentMailEvents events)
    {
        var (body, bodyError) = await MessageBody.ReadAsync(http);
        var (request, bindError) = bodyError is null ? MessageBody.Bind<InboundEmailRequest>(body) : (null, bodyError);
        if (bindError is not null)
        {
            return bindError;
        }

        var (message, error) = new InboundDelivery(store, events).Deliver(inboxId, request!);
        return error ?? Results.Json(message, SandboxJson.Options);
    }

    /// <summary><c>POST /sandbox/agentmail/bouncing</c> (or another fate) <c>{"addresses":[…]}</c>: adds to the set and answers all of it.</summary>
    public static async Task<IResult> MarkAsync(HttpRequest http, MarkedAddresses marked)
    {
        var (body, bodyError) = await MessageBody.ReadAsync(http);
        var (request, bindError) = bodyError is null ? MessageBody.Bind<MarkedAddressesRequest>(body) : (null, bodyError);
        if (bindError is not null)
        {
            return bindError;
        }

        if (request!.Addresses is not { Count: > 0 } addresses)
        {
            return AgentMailError.Validation("addresses is required.", new ValidationIssue(["addresses"], "Required", "invalid_type"));
        }

        var issues = new List<ValidationIssue>();
        EmailAddresses.Check(addresses, "addresses", issues);
        if (issues.Count > 0)
        {
            return AgentMailError.Validation(issues[0].Message, [.. issues]);
        }

        marked.Add(addresses.Select(a => EmailAddresses.Bare(a)!));
        return List(marked);
    }

    /// <summary><c>GET /sandbox/agentmail/bouncing</c> (or another fate): <c>{"addresses":[…]}</c>.</summary>
    public static IResult List(MarkedAddresses marked) =>
        Results.Json(new { addresses = marked.All() }, SandboxJson.Options);

    /// <summary><c>DELETE /sandbox/agentmail/bouncing</c> (or another fate): no address is marked any more.</summary>
    public static IResult Clear(MarkedAddresses marked)
    {
        marked.Clear();
        return Results.NoContent();
    }
}

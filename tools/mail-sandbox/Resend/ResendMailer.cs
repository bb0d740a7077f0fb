using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Accepts an email and plays out what the real service would report for it: <c>email.sent</c>, then
/// <c>email.delivered</c>, or the bounce, delay or complaint its designated recipients call for.
/// </summary>
public sealed class ResendMailer(ResendStore store, DesignatedRecipients recipients, ResendEvents events, TimeProvider time, IOptions<SandboxOptions> options)
{
    /// <summary>Stores the email, raises its events and returns it with its <c>last_event</c> set.</summary>
    public StoredEmail Send(SendEmailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = new StoredEmail { Id = Guid.NewGuid().ToString(), Request = request, MessageId = MessageIdOf(request), CreatedAt = time.GetUtcNow() };
        store.AddEmail(email);

        Raise(email, ResendEventTypes.Sent);
        switch (recipients.OutcomeFor([.. request.To, .. request.Cc, .. request.Bcc]))
        {
            case DesignatedRecipients.Bounced:
                Raise(email, ResendEventTypes.Bounced, ("bounce", Bounce()));
                break;
            case DesignatedRecipients.DeliveryDelayed:
                Raise(email, ResendEventTypes.DeliveryDelayed);
                break;
            case DesignatedRecipients.Complained:
                Raise(email, ResendEventTypes.Delivered);
                Raise(email, ResendEventTypes.Complained);
                break;
            default:
                Raise(email, ResendEventTypes.Delivered);
                break;
        }

        return email;
    }

    private void Raise(StoredEmail email, string eventType, (string, JsonObject)? extra = null)
    {
        email.LastEvent = eventType["email.".Length..];
        events.Raise(email, eventType, extra);
    }

    // Amazon SES, which Resend sends through, names every email it sends; it may replace the sender's Message-ID too.
    private string MessageIdOf(SendEmailRequest request) =>
        !options.Value.ResendReplacesMessageIds
        && request.Headers.FirstOrDefault(h => string.Equals(h.Key, "Message-ID", StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } ours
            ? ours
            : $"<{Guid.NewGuid():N}@email.amazonses.com>";

    // A hard bounce in Resend's shape (camelCase inside, unlike the rest of the payload).
    private static JsonObject Bounce() => new()
    {
        ["message"] = "The recipient's email server permanently rejected the email: the address does not exist.",
        ["subType"] = "General",
        ["type"] = "Permanent",
        ["diagnosticCode"] = new JsonArray("smtp; 550 5.1.1 The email account that you tried to reach does not exist."),
    };
}

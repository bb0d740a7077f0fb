using System.Text.Json.Nodes;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Accepts an email and plays out what the real service would report for it: <c>email.sent</c>, then
/// <c>email.delivered</c>, or the bounce, delay or complaint its designated recipients call for.
/// </summary>
public sealed class ResendMailer(ResendStore store, DesignatedRecipients recipients, ResendEvents events, TimeProvider time)
{
    /// <summary>Stores the email, raises its events and returns it with its <c>last_event</c> set.</summary>
    public StoredEmail Send(SendEmailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = new StoredEmail { Id = Guid.NewGuid().ToString(), Request = request, CreatedAt = time.GetUtcNow() };
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

    // A hard bounce in Resend's shape (camelCase inside, unlike the rest of the payload).
    private static JsonObject Bounce() => new()
    {
        ["message"] = "The recipient's email server permanently rejected the email: the address does not exist.",
        ["subType"] = "General",
        ["type"] = "Permanent",
        ["diagnosticCode"] = new JsonArray("smtp; 550 5.1.1 The email account that you tried to reach does not exist."),
    };
}

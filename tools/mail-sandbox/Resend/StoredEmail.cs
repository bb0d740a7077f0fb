namespace OrdersMail.MailSandbox.Resend;

/// <summary>An email Resend accepted, as <c>GET /emails/{id}</c> shows it.</summary>
public sealed class StoredEmail
{
    /// <summary>The UUID <c>POST /emails</c> answered with.</summary>
    public required string Id { get; init; }

    /// <summary>What was sent.</summary>
    public required SendEmailRequest Request { get; init; }

    /// <summary>
    /// The Message-ID it went out with (in <c>&lt;...&gt;</c> form): the request's or Resend's own
    /// (<see cref="Core.SandboxOptions.ResendReplacesMessageIds"/>). Its events name it as <c>data.message_id</c>.
    /// </summary>
    public required string MessageId { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last event it went through, without the <c>email.</c> prefix (<c>sent</c>, <c>delivered</c>, <c>bounced</c>...).</summary>
    public string LastEvent { get; set; } = "queued";

    /// <summary>The body of <c>GET /emails/{id}</c>: Resend's email object.</summary>
    public object ToResource() => Resource(withHeaders: false);

    /// <summary>
    /// The control API's view (<c>GET /sandbox/resend/emails</c>): Resend's email object plus the custom headers, which
    /// Resend's API does not return but the recipient's mail client shows, its Message-ID the one it went out with (the
    /// one a reply answers).
    /// </summary>
    public object ToDeliveredView() => Resource(withHeaders: true);

    private Dictionary<string, object?> Resource(bool withHeaders)
    {
        var resource = new Dictionary<string, object?>
        {
            ["object"] = "email",
            ["id"] = Id,
            ["from"] = Request.From,
            ["to"] = Request.To,
            ["subject"] = Request.Subject,
            ["html"] = Request.Html,
            ["text"] = Request.Text,
            ["cc"] = NullIfEmpty(Request.Cc),
            ["bcc"] = NullIfEmpty(Request.Bcc),
            ["reply_to"] = NullIfEmpty(Request.ReplyTo),
            ["tags"] = NullIfEmpty(Request.Tags),
            ["created_at"] = ResendTime.Record(CreatedAt),
            ["last_event"] = LastEvent,
        };
        if (withHeaders)
        {
            resource["headers"] = new Dictionary<string, string>(
                Request.Headers.Where(h => !string.Equals(h.Key, "Message-ID", StringComparison.OrdinalIgnoreCase)))
            {
                ["Message-ID"] = MessageId,
            };
        }

        // As the sandbox's JSON leaves null members out of objects, and a dictionary's null values would be written.
        return resource.Where(e => e.Value is not null).ToDictionary();
    }

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> items) => items.Count == 0 ? null : items;
}

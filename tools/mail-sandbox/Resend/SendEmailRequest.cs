namespace OrdersMail.MailSandbox.Resend;

/// <summary>A validated <c>POST /emails</c> body, with every address field normalised to a list.</summary>
/// <param name="From">The sender, bare or <c>Name &lt;address&gt;</c>.</param>
/// <param name="To">One to fifty recipients.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Html">The HTML body, if any.</param>
/// <param name="Text">The plain-text body, if any (at least one of the two is present).</param>
/// <param name="Cc">Copy recipients.</param>
/// <param name="Bcc">Blind-copy recipients.</param>
/// <param name="ReplyTo">Reply-to addresses (<c>reply_to</c> on the wire).</param>
/// <param name="Headers">Custom email headers.</param>
/// <param name="Tags">Tags, echoed in webhook events as an object.</param>
public sealed record SendEmailRequest(
    string From,
    IReadOnlyList<string> To,
    string Subject,
    string? Html,
    string? Text,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    IReadOnlyList<string> ReplyTo,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<EmailTag> Tags);

/// <summary>One <c>{name, value}</c> tag of a send request.</summary>
/// <param name="Name">ASCII letters, digits, <c>_</c> and <c>-</c>; at most 256 characters.</param>
/// <param name="Value">The same character set; may be empty.</param>
public sealed record EmailTag(string Name, string Value);

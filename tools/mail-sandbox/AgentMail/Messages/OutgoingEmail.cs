using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// An email the inbox is about to send, a new one or a reply, once its request has been checked and the
/// reply's defaults filled in; <see cref="OutboundSender"/> gives it its ids.
/// </summary>
public sealed record OutgoingEmail
{
    /// <summary>The thread to join; null starts a new one.</summary>
    public string? ThreadId { get; init; }

    /// <summary>Recipients (may be empty when there are copy recipients).</summary>
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>Copy recipients.</summary>
    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>Blind-copy recipients.</summary>
    public IReadOnlyList<string>? Bcc { get; init; }

    /// <summary>Reply-To addresses.</summary>
    public IReadOnlyList<string>? ReplyTo { get; init; }

    /// <summary>Subject line.</summary>
    public string? Subject { get; init; }

    /// <summary>Plain-text body.</summary>
    public string? Text { get; init; }

    /// <summary>HTML body.</summary>
    public string? Html { get; init; }

    /// <summary>The Message-ID answered.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The thread's Message-IDs, oldest first.</summary>
    public IReadOnlyList<string>? References { get; init; }

    /// <summary><c>sent</c> and the labels asked for.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Extra headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>A new email in a new thread; 400 for bad addresses or labels, 422 when it has no recipient at all.</summary>
    public static (OutgoingEmail? Email, IResult? Error) ForSend(SendMessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Invalid(request.To, request.Cc, request.Bcc, request.ReplyTo, request.Labels) is { } invalid)
        {
            return (null, invalid);
        }

        if ((request.To?.Count ?? 0) + (request.Cc?.Count ?? 0) + (request.Bcc?.Count ?? 0) == 0)
        {
            return (null, AgentMailError.ForStatus(StatusCodes.Status422UnprocessableEntity, "At least one recipient is required in to, cc or bcc."));
        }

        return (new OutgoingEmail
        {
            To = request.To ?? [],
            Cc = NullIfEmpty(request.Cc),
            Bcc = NullIfEmpty(request.Bcc),
            ReplyTo = NullIfEmpty(request.ReplyTo),
            Subject = request.Subject,
            Text = request.Text,
            Html = request.Html,
            Labels = LabelsOf(request.Labels),
            Headers = request.Headers,
        }, null);
    }

    /// <summary>
    /// A reply in <paramref name="original"/>'s thread: subject <c>Re: …</c>, <c>In-Reply-To</c> the original and
    /// <c>References</c> its references plus it. Unless <c>to</c> is given it goes to the original's Reply-To or
    /// sender, or, when the original is the inbox's own sent mail, to that mail's recipients (as mail clients do);
    /// <c>reply_all</c> copies the original's other recipients.
    /// </summary>
    public static (OutgoingEmail? Email, IResult? Error) ForReply(StoredInbox inbox, StoredMessage original, ReplyToMessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(request);
        if (Invalid(request.To, request.Cc, request.Bcc, request.ReplyTo, request.Labels) is { } invalid)
        {
            return (null, invalid);
        }

        var to = request.To is { Count: > 0 } asked ? asked
            : original.Labels.Contains("sent") ? original.To
            : original.ReplyTo is { Count: > 0 } replyTo ? replyTo
            : [original.From];
        var cc = new List<string>(request.Cc ?? []);
        if (request.ReplyAll == true)
        {
            cc.AddRange(original.To.Concat(original.Cc ?? []).Where(address =>
                !EmailAddresses.Same(address, inbox.Email) && !to.Concat(cc).Any(known => EmailAddresses.Same(known, address))));
        }

        return (new OutgoingEmail
        {
            ThreadId = original.ThreadId,
            To = to,
            Cc = NullIfEmpty(cc),
            Bcc = NullIfEmpty(request.Bcc),
            ReplyTo = NullIfEmpty(request.ReplyTo),
            Subject = ReplySubject(original.Subject),
            Text = request.Text,
            Html = request.Html,
            InReplyTo = original.MessageId,
            References = [.. original.References ?? [], original.MessageId],
            Labels = LabelsOf(request.Labels),
            Headers = request.Headers,
        }, null);
    }

    /// <summary><c>Re: </c> and the subject, unless it already starts with <c>Re:</c> (any case).</summary>
    public static string? ReplySubject(string? subject) =>
        subject is null || subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : $"Re: {subject}";

    private static IResult? Invalid(
        IReadOnlyList<string>? to, IReadOnlyList<string>? cc, IReadOnlyList<string>? bcc, IReadOnlyList<string>? replyTo, IReadOnlyList<string>? labels)
    {
        var issues = new List<ValidationIssue>();
        EmailAddresses.Check(to, "to", issues);
        EmailAddresses.Check(cc, "cc", issues);
        EmailAddresses.Check(bcc, "bcc", issues);
        EmailAddresses.Check(replyTo, "reply_to", issues);
        for (var i = 0; i < (labels?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(labels![i]))
            {
                issues.Add(new ValidationIssue(["labels", i], "A label must not be empty", "too_small"));
            }
        }

        return issues.Count == 0 ? null : AgentMailError.Validation(issues[0].Message, [.. issues]);
    }

    private static IReadOnlyList<string> LabelsOf(IReadOnlyList<string>? asked) => [.. (asked ?? []).Prepend("sent").Distinct(StringComparer.Ordinal)];

    private static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string>? list) => list is { Count: > 0 } ? list : null;
}

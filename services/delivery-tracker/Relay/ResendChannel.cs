using System.Text.Json;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Everything but agent replies: Resend's <c>POST /emails</c> (or, for new emails, <c>POST /emails/batch</c> through
/// <see cref="ResendBatcher"/>), with a Message-ID of our choosing (so a customer's
/// reply to it can be routed to its order) and the file's <c>in_reply_to</c>/<c>references</c> as headers. A refusal
/// for the account pauses every send through it, batches too (<see cref="Pause"/>).
/// </summary>
public sealed class ResendChannel(ResendClient resend, IOptions<RelayOptions> options, TimeProvider time, ILogger<ProviderPause> logger) : IEmailChannel
{
    private readonly RelayOptions _options = options.Value;
    private readonly IReadOnlyList<ResendTag> _tags = [RelayTag.For(options.Value.SenderTag)];

    // Resend puts the address in the header as it is given: a display name with specials goes quoted.
    private readonly string _from = MailAddresses.ForHeader(options.Value.From);

    /// <summary>The pause Resend's refusals for the account begin, which the batcher honours as this channel does.</summary>
    public ProviderPause Pause { get; } = new(EmailProvider.Resend, options.Value.AccountPause, time, logger);

    /// <inheritdoc />
    public EmailProvider Provider => EmailProvider.Resend;

    /// <inheritdoc />
    public string? InternetMessageIdFor(Guid emailId) => $"<{emailId:N}@{_options.MessageIdDomain}>";

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(Guid emailId, OutboxEmail email, CancellationToken cancellationToken)
    {
        if (Pause.Deferral() is { } paused)
        {
            return paused;
        }

        var message = Compose(emailId, email);
        try
        {
            var accepted = new SendOutcome.Accepted(await resend.SendAsync(message, EmailIdentity.IdempotencyKey(emailId), cancellationToken), message.Headers!["Message-ID"]);
            Pause.Accepted();
            return accepted;
        }
        catch (Exception e) when (IsFailure(e))
        {
            return Outcome(e);
        }
    }

    /// <summary>Whether <paramref name="e"/> is what a send or batch that did not go through throws, for <see cref="Outcome"/>.</summary>
    public static bool IsFailure(Exception e) => e is ResendException or ResendUnavailableException or ResendQuotaExceededException or JsonException;

    /// <summary>
    /// Whether <paramref name="e"/> is Resend's 409 <c>concurrent_idempotent_requests</c>: a send under the same key
    /// (another relay's send of the same batch) is running now, and its answer, not this one, says what came of it.
    /// </summary>
    public static bool IsInFlightElsewhere(Exception e) => e is ResendException { StatusCode: 409, Name: "concurrent_idempotent_requests" };

    /// <summary>
    /// What a failed send or batch comes to: transient (try again later under the same key), put off for the team's
    /// quota (again after the client's pause, no attempt counted) or for the account (again after <see cref="Pause"/>,
    /// no attempt counted), or refused for good.
    /// </summary>
    public SendOutcome Outcome(Exception failure) => failure switch
    {
        ResendUnavailableException e => new SendOutcome.Transient(e.Message, Outage: true),
        ResendQuotaExceededException e => new SendOutcome.Deferred(e.Message, e.PausedUntil, KeyUnused: e.Answered),

        // A 2xx whose body is not Resend's answer (no id, not JSON, not one id per email): the send may have happened,
        // so it counts as an attempt and is sent again under the same key, which makes it a replay if it did.
        JsonException e => new SendOutcome.Transient($"Resend answered, but not as documented: {e.Message}"),

        // invalid_idempotent_request: Resend took another request under this email's key within the day, an earlier send
        // of it built otherwise (by an older version, or before a setting such as From or SenderTag changed) whose answer
        // was lost. Asking again under that key never changes the answer, and the email most likely went out.
        ResendException { StatusCode: 409, Name: "invalid_idempotent_request" } e => new SendOutcome.Refused(
            "Resend holds another request under this email's Idempotency-Key: an earlier send of it, built by an older version "
            + "or under other settings, whose answer was lost, so it most likely went out. Check Resend's log for it before "
            + $"sending it again (POST /outbox/failed/{{file}}/send-again), and do so only if it never went out. Resend said: {e.Message}"),

        // concurrent_idempotent_requests: the same send is still running elsewhere; asking later gets its answer.
        ResendException { StatusCode: 409 } e => new SendOutcome.Transient(e.Message),

        // The key, its rights or the sending domain: every email meets it until ops put it right, then each goes out.
        ResendException e when AccountRefusals.Of(e) => Pause.Refused(e.Message),
        ResendException e => new SendOutcome.Refused(e.Message),
        _ => throw new ArgumentException("Not a Resend failure.", nameof(failure)),
    };

    /// <summary>The email as Resend takes it, alone or in a batch.</summary>
    public ResendEmail Compose(Guid emailId, OutboxEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var messageId = InternetMessageIdFor(emailId)!;
        var headers = new Dictionary<string, string> { ["Message-ID"] = messageId };
        if (email.InReplyTo is { Length: > 0 } inReplyTo)
        {
            headers["In-Reply-To"] = inReplyTo;
        }

        if (email.References is { Length: > 0 } references)
        {
            headers["References"] = references;
        }

        if (email.Kind == OutboxEmailKinds.OrderConfirmation)
        {
            // Written by the system, not a person (RFC 3834), so an auto-responder that follows the RFC does not answer it
            // and open a loop with the agent, which answers what comes back to the confirmation's Reply-To.
            headers["Auto-Submitted"] = "auto-generated";
        }

        return new ResendEmail
        {
            From = _from,
            To = ForHeader(email.To),
            Subject = email.Subject,
            Text = email.Body,
            Cc = email.Cc.Count > 0 ? ForHeader(email.Cc) : null,
            Bcc = email.Bcc.Count > 0 ? ForHeader(email.Bcc) : null,
            ReplyTo = email.ReplyTo is { } replyTo ? MailAddresses.ForHeader(replyTo) : null,
            Headers = headers,
            Tags = _tags,
        };
    }

    private static IReadOnlyList<string> ForHeader(IReadOnlyList<string> addresses) => [.. addresses.Select(MailAddresses.ForHeader)];
}

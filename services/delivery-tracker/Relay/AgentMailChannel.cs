using System.Text.Json;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Agent replies: AgentMail's reply endpoint, from the customer's inbox to the message it answers, so the reply
/// lands in the customer's thread (docs/agentmail.md §5). AgentMail assigns the Message-ID: the <c>message_id</c> it answers.
/// A refusal for the account pauses every reply (<see cref="ProviderPause"/>).
/// </summary>
public sealed class AgentMailChannel(AgentMailClient agentMail, IOptions<RelayOptions> options, TimeProvider time, ILogger<ProviderPause> logger) : IEmailChannel
{
    private readonly ProviderPause _pause = new(EmailProvider.AgentMail, options.Value.AccountPause, time, logger);

    // Every reply sent here is the agent's answer to a message, so it says so (RFC 3834): an auto-responder that follows
    // the RFC does not answer it, which would have the agent answer that in turn, and so on.
    private static readonly Dictionary<string, string> AutoReplied = new(StringComparer.OrdinalIgnoreCase) { ["Auto-Submitted"] = "auto-replied" };

    /// <inheritdoc />
    public EmailProvider Provider => EmailProvider.AgentMail;

    /// <inheritdoc />
    public string? InternetMessageIdFor(Guid emailId) => null;

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(Guid emailId, OutboxEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (_pause.Deferral() is { } paused)
        {
            return paused;
        }

        try
        {
            var sent = await agentMail.ReplyToMessageAsync(
                email.InboxId!, email.ReplyToMessageId!, new ReplyToMessage(email.Body, null, email.To, AutoReplied), EmailIdentity.IdempotencyKey(emailId), cancellationToken);
            _pause.Accepted();
            return new SendOutcome.Accepted(sent.MessageId, sent.MessageId);
        }
        catch (AgentMailUnavailableException e)
        {
            return new SendOutcome.Transient(e.Message, Outage: true);
        }
        catch (JsonException e)
        {
            // A 2xx whose body is not AgentMail's answer: the reply may have gone out, so it counts as an attempt and
            // is sent again under the same key, which makes it a replay if it did.
            return new SendOutcome.Transient($"AgentMail answered, but not as documented: {e.Message}");
        }
        catch (AgentMailException e) when (e.IsAccountRefusal)
        {
            // The key, its permission or the organisation: every reply meets it until ops put it right, then each goes out.
            // Asked before the 409 below: AgentMail answers the organisation's limit and domain as 403 or 409 alike.
            return _pause.Refused(e.Message);
        }
        catch (AgentMailException e) when (e.StatusCode == 409)
        {
            // AgentMail answers 409 both to the same reply still in flight elsewhere, which asking again later replays, and
            // to another request under the key (an earlier send of the reply built otherwise, its answer lost), which never
            // changes: should every attempt meet it, the reason the reply fails with must keep ops from sending it twice.
            return new SendOutcome.Transient(
                $"AgentMail answered 409 ({e.Message}): a send of this reply under its Idempotency-Key is still in flight, or one "
                + "built otherwise (by an older version) was taken and its answer lost, so the reply may have gone out. Should it "
                + "fail, check the inbox's sent mail at AgentMail before sending it again (POST /outbox/failed/{file}/send-again)");
        }
        catch (AgentMailException e)
        {
            return new SendOutcome.Refused(e.Message);
        }
    }
}

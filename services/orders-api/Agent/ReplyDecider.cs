using Dapper;
using Npgsql;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Handoffs;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Decides, inside the transaction that records an inbound message, whether the agent answers it and with what:
/// automatic mail, loops and messages already answered get nothing; nor does a sender whose address is longer than mail
/// can be sent to, nor one AgentMail refuses to send to after an earlier reply bounced, drew a complaint or was rejected
/// (<see cref="BlockedRecipients"/>), whose message gets the <see cref="AgentLabels.NeedsReview"/> label instead; nor a sender whose messages on the order the
/// agent answered as often as <see cref="AnswerLimit"/> allows, or a sender other than the order's address once the agent
/// answered such senders on the order as often as it allows, whose message gets the
/// <see cref="AgentLabels.NeedsReview"/> label instead; the order's own address gets its facts; anyone else gets no
/// facts and the <see cref="AgentLabels.NeedsReview"/> label. A message of the order's address in which the rules found
/// no request, in words unlikely English (<see cref="EnglishText"/>), gets that label too: it may ask for one in a
/// language the rules do not read; and so does a reply with no words of the customer's own (<see cref="NewWords.HasNone"/>).
/// A labelled message is handed to ops
/// (<see cref="AgentHandoffs"/>). Reads, but for the labels, the hand-off and the reply's claim in <c>agent_replies</c>,
/// taken here so that they commit with the message, before any file is written.
/// </summary>
internal static class ReplyDecider
{
    /// <summary>The decision for <paramref name="message"/>, whose order exists.</summary>
    /// <param name="transaction">The recording transaction.</param>
    /// <param name="message">The routed message.</param>
    /// <param name="customerEmail">The order's address.</param>
    /// <param name="firstTime">True when this run recorded the message: its labels and hand-off are set then, never again, so a person's later change sticks.</param>
    /// <param name="replies">Where the reply is claimed.</param>
    /// <param name="limit">The bound on the sender's answers and the order's strangers', judged under the locks it takes until the claim commits.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static async Task<ReplyDecision> DecideAsync(
        NpgsqlTransaction transaction,
        InboundMessageRouted message,
        string customerEmail,
        bool firstTime,
        AgentReplies replies,
        AnswerLimit limit,
        CancellationToken cancellationToken)
    {
        if (SenderVerification.IsOverlong(message.From))
        {
            // No answer can reach it, yet a person may have written: they read it, as they do a stranger's.
            if (firstTime)
            {
                var asks = IntentRules.Classify(NewWords.SubjectOf(message), NewWords.TextOf(message));
                await HandOffAsync(transaction, message, AgentLabels.NeedsReview, HandoffReasons.SenderAddressTooLong, asks.Name(), cancellationToken);
            }

            return ReplyDecision.None(NoAnswer.SenderAddressTooLong);
        }

        if (AutomaticMail.Why(message) is { } automatic)
        {
            return ReplyDecision.None(automatic);
        }

        var sender = SenderVerification.AddressOf(message.From)!;
        if (await IsOurInboxAsync(transaction, message.InboxId, sender, cancellationToken))
        {
            return ReplyDecision.None(NoAnswer.Loop);
        }

        var verified = SenderVerification.IsCustomer(message.From, customerEmail);
        var intent = IntentRules.Classify(NewWords.SubjectOf(message), NewWords.TextOf(message));
        var withheld = await BlockedRecipients.IsBlockedAsync(transaction, sender, cancellationToken)
            ? NoAnswer.RecipientBlocked
            : await limit.ReachedAsync(transaction, message, sender, verified, cancellationToken);
        if (firstTime)
        {
            // An unverified sender's request is reviewed before anything is done for them, whatever it asks, and so is a
            // message the agent leaves unanswered because AgentMail would refuse the answer, or because it answered the
            // sender, or the order's strangers, enough, and one whose words it could not read, or a reply with no words of
            // the customer's own (a photo, most often).
            var unread = intent == Intent.Other && EnglishText.IsUnlikely(NewWords.SubjectOf(message), NewWords.TextOf(message));
            var wordless = NewWords.HasNone(message);
            var label = !verified || withheld is not null || unread || wordless ? AgentLabels.NeedsReview : intent.NeedsAction() ? AgentLabels.NeedsAction : null;
            var reason = withheld switch
            {
                NoAnswer.RecipientBlocked => HandoffReasons.RecipientBlocked,
                NoAnswer.TooManyAnswers => HandoffReasons.AnswerLimitReached,
                NoAnswer.TooManyStrangerAnswers => HandoffReasons.StrangerAnswerLimitReached,
                _ => !verified ? HandoffReasons.SenderNotVerified
                    : unread ? HandoffReasons.NotUnderstood
                    : wordless ? HandoffReasons.NoNewWords
                    : HandoffReasons.AsksForAction,
            };
            await HandOffAsync(transaction, message, label, reason, intent.Name(), cancellationToken);
        }

        if (withheld is { } unanswered)
        {
            return ReplyDecision.None(unanswered);
        }

        if (await replies.ClaimAsync(transaction, message, intent.Name(), cancellationToken) is not { } claim)
        {
            return ReplyDecision.None(NoAnswer.AlreadyAnswered);
        }

        return await AnswerAsync(transaction, message, verified, claim, cancellationToken);
    }

    /// <summary>
    /// The answer to <paramref name="message"/> under <paramref name="claim"/>, with the order's facts read now when the
    /// sender is the order's address, and whether it was handed off, which the reply may then say: what the recording run
    /// composes, and the sweeper when it takes the claim over.
    /// </summary>
    public static async Task<ReplyDecision> AnswerAsync(
        NpgsqlTransaction transaction, InboundMessageRouted message, bool verified, AgentReplyClaim claim, CancellationToken cancellationToken)
    {
        var intent = IntentRules.Classify(NewWords.SubjectOf(message), NewWords.TextOf(message));
        var facts = verified ? await OrderFactsQuery.ReadAsync(transaction, message.OrderId, cancellationToken) : null;
        var sender = SenderVerification.AddressOf(message.From) ?? "";
        var handedOff = await AgentHandoffs.ExistAsync(transaction, message.OrderId, message.MessageId, cancellationToken);
        return ReplyDecision.Answer(
            new ReplyRequest(intent, facts, message.Subject, NewWords.TextOf(message), sender, message.InboxId) { HandedOff = handedOff }, claim);
    }

    // Labels the new message with label (none when null) and hands it to ops with the reason. The label is the
    // customer's to remove and only the customer sees it; the hand-off is what ops work through.
    private static async Task HandOffAsync(
        NpgsqlTransaction transaction, InboundMessageRouted message, string? label, string reason, string intent, CancellationToken cancellationToken)
    {
        string[] labels = label is null ? [] : [label];
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "update order_messages set labels = @Labels where order_id = @OrderId and message_id = @MessageId",
            new { Labels = labels, message.OrderId, message.MessageId },
            transaction,
            cancellationToken: cancellationToken));
        if (label is not null)
        {
            await AgentHandoffs.RecordAsync(transaction, message.OrderId, message.MessageId, label, reason, intent, cancellationToken);
        }
    }

    // Our inboxes are AgentMail addresses whose inbox id is the address itself; every one provisioned is an order's reply address.
    private static async Task<bool> IsOurInboxAsync(NpgsqlTransaction transaction, string inboxId, string sender, CancellationToken cancellationToken) =>
        string.Equals(sender, inboxId, StringComparison.OrdinalIgnoreCase)
        || await transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from orders where lower(reply_address) = lower(@Sender))",
            new { Sender = sender },
            transaction,
            cancellationToken: cancellationToken));
}

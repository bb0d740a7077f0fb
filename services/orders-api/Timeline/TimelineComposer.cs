using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// Turns what orders-api stored about an order into its timeline. orders-api keeps each email's furthest state and the
/// time of its latest event, not every step, so an email shows as queued (when it was) and then where it stands now.
/// </summary>
internal static class TimelineComposer
{
    public static OrderTimelineView Compose(
        OrderView order,
        IReadOnlyList<TimelineMessageRow> messages,
        TimelineConfirmationRow? confirmation,
        IReadOnlyList<OrderEmailView> confirmationEmails,
        IReadOnlyList<TimelineReplyRow> replies,
        DateTimeOffset now)
    {
        var replyTo = replies.ToDictionary(r => r.MessageId, StringComparer.Ordinal);

        var entries = new List<TimelineEntry> { Placed(order), Inbox(order, confirmation) };
        if (confirmation is not null)
        {
            entries.Add(Confirmation(confirmation));
        }

        // The order carries its newest emails only; the confirmation's are told too, however many came after them.
        var newest = order.Emails.Select(e => e.EmailId).ToHashSet();
        var emails = order.Emails.Concat(confirmationEmails.Where(e => !newest.Contains(e.EmailId))).ToList();
        entries.AddRange(emails.SelectMany(Email));
        entries.AddRange(messages.Select(Message));
        entries.AddRange(replies.Select(Reply));

        // Stable: entries of one moment keep the order they were added in (an email queued before it was sent).
        var timeline = entries.OrderBy(e => e.At ?? order.CreatedAt).ToList();
        var conversation = messages.Select(m => new ConversationEntry(
            m.Id,
            m.Direction,
            m.FromAddress,
            m.Subject,
            m.Body,
            m.BodyCut,
            m.SenderVerified,
            m.Labels,
            Utc(m.ReceivedAt),
            WrittenReply(replyTo.GetValueOrDefault(m.MessageId)))).ToList();
        return new OrderTimelineView(order, timeline, emails.Count, conversation, now);
    }

    private static TimelineEntry Placed(OrderView order)
    {
        // As long: 100 lines of up to int.MaxValue each add up past an int, and a checked Sum over int would throw.
        var units = order.Items.Sum(i => (long)i.Quantity);
        return Entry(order.CreatedAt, TimelineKinds.OrderPlaced, $"Order {order.OrderRef} placed", $"{units} item(s), {MoneyText.Of(order.Total, order.Currency)}, for {ForeignText.Isolate(order.CustomerEmail)}", TimelineTones.Info);
    }

    // orders-api records no time for the inbox itself; the confirmation is claimed the moment its outcome arrives.
    private static TimelineEntry Inbox(OrderView order, TimelineConfirmationRow? confirmation)
    {
        DateTimeOffset? at = confirmation is { Reason: ConfirmationClaims.InboxReady or ConfirmationClaims.ProvisioningFailed } c ? Utc(c.ClaimedAt) : null;
        return order.Provisioning.State switch
        {
            "ready" => Entry(at, TimelineKinds.Inbox, "Customer inbox provisioned", $"Replies go to {order.ReplyAddress}", TimelineTones.Good),
            "failed" => Entry(at, TimelineKinds.Inbox, "Customer inbox provisioning failed", order.Provisioning.Detail, TimelineTones.Problem),
            _ => Entry(null, TimelineKinds.Inbox, "Customer inbox being provisioned", null, TimelineTones.Info),
        };
    }

    // A claim the sweeper gave up stands where it was given up, failed; one ops put back is being written again, and
    // one written after all is written.
    private static TimelineEntry Confirmation(TimelineConfirmationRow confirmation)
    {
        if (confirmation is { WrittenAt: null, GivenUpAt: { } givenUpAt })
        {
            return Entry(
                Utc(givenUpAt),
                TimelineKinds.Confirmation,
                "Order confirmation failed",
                $"written neither by its writer nor in the sweeper's {confirmation.Attempts} attempt(s), Reply-To {confirmation.ReplyTo}; the customer got no confirmation",
                TimelineTones.Problem);
        }

        var at = Utc(confirmation.WrittenAt ?? confirmation.ClaimedAt);
        var written = confirmation.WrittenAt is null ? "being written to the outbox" : "written to the outbox";
        return confirmation.Reason switch
        {
            ConfirmationClaims.InboxReady => Entry(at, TimelineKinds.Confirmation, $"Order confirmation {written}", $"Reply-To {confirmation.ReplyTo}", TimelineTones.Info),
            ConfirmationClaims.ProvisioningFailed => Entry(at, TimelineKinds.Confirmation, $"Order confirmation {written} with the default Reply-To (no inbox)", $"Reply-To {confirmation.ReplyTo}", TimelineTones.Warning),
            _ => Entry(at, TimelineKinds.Confirmation, $"Order confirmation {written} with the default Reply-To (the inbox took too long)", $"Reply-To {confirmation.ReplyTo}", TimelineTones.Warning),
        };
    }

    private static IEnumerable<TimelineEntry> Email(OrderEmailView email)
    {
        var what = $"{Words(email.Kind ?? "email")}{(email.SentAgainOf is null ? "" : ", sent again")}{(email.Provider is { } provider ? $" via {provider}" : "")}";
        var about = string.Join(" ", new[]
        {
            email.Subject is { } subject ? $"\u201c{ForeignText.Isolate(subject)}\u201d" : null,
            email.Recipients.Count > 0 ? $"to {string.Join(", ", email.Recipients.Select(ForeignText.Isolate))}" : null,
        }.Where(s => s is not null));
        if (email.QueuedAt is { } queuedAt)
        {
            yield return Entry(queuedAt, TimelineKinds.EmailQueued, $"Email queued: {what}", about.Length > 0 ? about : null, TimelineTones.Info);
        }

        if (email.State != "queued")
        {
            var detail = email.Detail ?? (email.QueuedAt is null && about.Length > 0 ? about : null);
            yield return Entry(email.UpdatedAt, TimelineKinds.EmailState, $"Email {Words(email.State)}: {what}", detail, StateTone(email.State));
        }
    }

    private static TimelineEntry Message(TimelineMessageRow message)
    {
        var inbound = message.Direction == "inbound";
        var labelled = message.Labels.Contains(AgentLabels.NeedsAction) || message.Labels.Contains(AgentLabels.NeedsReview);
        var (title, tone) = inbound
            ? ($"Message received from {ForeignText.Isolate(message.FromAddress)}{(message.SenderVerified ? "" : " (not the order's address)")}",
               labelled || !message.SenderVerified ? TimelineTones.Warning : TimelineTones.Info)
            : Outbound(message, labelled ? TimelineTones.Warning : TimelineTones.Info);
        return new TimelineEntry(Utc(message.ReceivedAt), inbound ? TimelineKinds.MessageIn : TimelineKinds.MessageOut, title, message.Subject, tone, message.Labels);
    }

    // Our reply joins the conversation when its file is written, before the relay sends it (a provider's pause can hold
    // it for hours) or the provider refuses it: it was sent only once its email says so. A reply recorded before replies
    // carried their email says nothing more than that it was ours.
    private static (string Title, string Tone) Outbound(TimelineMessageRow message, string sentTone)
    {
        var from = ForeignText.Isolate(message.FromAddress);
        return (message.EmailId, message.DeliveryState) switch
        {
            (null, _) => ($"Message sent from {from}", sentTone),
            (_, null or "queued") => ($"Reply written to the outbox, not yet sent from {from}", sentTone),
            (_, "failed") => ($"Reply not sent from {from}: its email failed", TimelineTones.Problem),
            _ => ($"Message sent from {from}", sentTone),
        };
    }

    // A claim not yet written (the agent still composing, or its writer failed until a redelivery or the sweeper
    // writes it) has no composer and no time of writing: it stands at its claim, being written, as the confirmation's
    // claim does. One the sweeper gave up stands where it was given up, failed; one ops put back is being written again,
    // and a reply written after all (put back, or its message delivered again) is written.
    private static TimelineEntry Reply(TimelineReplyRow reply)
    {
        var state = reply.DeliveryState;
        var written = reply is { WrittenAt: not null, Composer: not null };
        if (!written && reply.GivenUpAt is { } givenUpAt)
        {
            return Entry(
                Utc(givenUpAt),
                TimelineKinds.AgentReply,
                $"Agent reply failed ({Words(reply.Intent)})",
                $"written neither by its consumer nor in the sweeper's {reply.Attempts} attempt(s); the customer got no answer",
                TimelineTones.Problem);
        }

        var detail = state is not null ? $"email {Words(state)}" : written ? "waiting for the relay" : null;
        return Entry(
            Utc(reply.WrittenAt ?? reply.ClaimedAt),
            TimelineKinds.AgentReply,
            written ? $"Agent reply written ({Words(reply.Intent)}, by {reply.Composer})" : $"Agent reply being written ({Words(reply.Intent)})",
            detail,
            state is null ? TimelineTones.Info : StateTone(state));
    }

    // The conversation shows a reply once it is written: until then it has no composer, no time of writing and no file.
    private static AgentReplyEntry? WrittenReply(TimelineReplyRow? reply) =>
        reply is { WrittenAt: { } writtenAt, Composer: { } composer }
            ? new AgentReplyEntry(reply.EmailId, reply.Intent, composer, Utc(writtenAt), reply.DeliveryState)
            : null;

    private static string StateTone(string state) => state switch
    {
        "delivered" => TimelineTones.Good,
        "delivery_delayed" => TimelineTones.Warning,
        "bounced" or "complained" or "failed" => TimelineTones.Problem,
        _ => TimelineTones.Info,
    };

    private static TimelineEntry Entry(DateTimeOffset? at, string kind, string title, string? detail, string tone) => new(at, kind, title, detail, tone, []);

    // order_confirmation → order confirmation; delivery_delayed → delivery delayed.
    private static string Words(string name) => name.Replace('_', ' ').Replace('-', ' ');

    private static DateTimeOffset Utc(DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc), TimeSpan.Zero);
}

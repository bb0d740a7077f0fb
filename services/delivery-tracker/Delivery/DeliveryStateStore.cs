using System.Diagnostics;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>What applying a fact did.</summary>
public enum DeliveryOutcome
{
    /// <summary>
    /// The email moved forward; <see cref="DeliveryStateChanged"/> is in the outbox (and <see cref="OutboundMessageIdAssigned"/>
    /// when the fact also named a Message-ID new for the email).
    /// </summary>
    Moved,

    /// <summary>
    /// The state stays, but the fact named a Message-ID new for the email (the provider replaced ours):
    /// <see cref="OutboundMessageIdAssigned"/> is in the outbox.
    /// </summary>
    Learned,

    /// <summary>The email is already at that state or past it: nothing changed, nothing published.</summary>
    Unchanged,

    /// <summary>No email has that provider id (yet): the fact was kept in <c>pending_delivery_events</c>.</summary>
    Kept,

    /// <summary>
    /// A "sent" fact about an email not recorded yet: nothing kept, because the relay records the provider's acceptance
    /// as "sent" itself when it records the email's provider id, so the fact could never move it.
    /// </summary>
    Implied,

    /// <summary>
    /// A fact about an email not recorded that the relay did not send (another sender's on the same provider account):
    /// nothing kept, or such facts would pile up for good.
    /// </summary>
    NotOurs,
}

/// <summary>
/// Applies delivery facts to <c>outbound_emails</c> inside the caller's transaction (a reason's NUL characters, which
/// PostgreSQL cannot store, replaced as the outbox replaces them: <see cref="NulFreeText"/>): the email's row is locked,
/// <see cref="DeliveryProgress"/> decides, and a forward move writes its <see cref="DeliveryStateChanged"/> to the
/// outbox in the same transaction, so the event exists if and only if the move commits. A Message-ID the fact names
/// that is neither the one recorded at the send nor the last one learnt is kept on the row and written as
/// <see cref="OutboundMessageIdAssigned"/> the same way, so each id the provider gives the email is published once.
/// Call <see cref="OutboxWriter.Notify"/> and <see cref="DeliveryTelemetry.Applied"/> after the commit: a move counted
/// before it was counted again when the transaction rolled back and the fact was applied anew.
/// </summary>
public sealed class DeliveryStateStore(OutboxWriter outbox, DeliveryTelemetry telemetry)
{
    private static readonly Func<CancellationToken, Task<bool>> AlwaysFirst = static _ => Task.FromResult(true);

    /// <summary>
    /// Applies <paramref name="fact"/>, or keeps it for later when its email is not known yet; null when
    /// <paramref name="first"/> finds that this delivery of the fact was had before. <paramref name="first"/> is asked
    /// only when the fact would change something, with the email's row locked and before anything is written, so a
    /// fact that changes nothing writes nothing, not even the record of its delivery: state only moves forward, so the
    /// same fact coming again can never change anything either.
    /// </summary>
    /// <param name="transaction">The caller's transaction.</param>
    /// <param name="fact">The fact.</param>
    /// <param name="first">Records this delivery of the fact; false when it was had before.</param>
    /// <param name="sentByRelay">Whether the fact's email is known to be the relay's, hence worth keeping while it has no row.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public async Task<DeliveryOutcome?> ApplyOrKeepAsync(
        NpgsqlTransaction transaction, DeliveryFact fact, Func<CancellationToken, Task<bool>> first, bool sentByRelay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(fact);
        ArgumentNullException.ThrowIfNull(first);
        using var activity = telemetry.StartStateChange();
        if (await LockAsync(transaction, fact, cancellationToken) is { } email)
        {
            return await ApplyToAsync(transaction, fact, email, first, activity, cancellationToken);
        }

        if (fact.State == DeliveryState.Sent)
        {
            return DeliveryOutcome.Implied;
        }

        if (!sentByRelay)
        {
            return DeliveryOutcome.NotOurs;
        }

        if (!await first(cancellationToken))
        {
            return null;
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into pending_delivery_events (provider, provider_message_id, state, detail, occurred_at, source, trace_parent, internet_message_id, bounce_type, bounce_sub_type)
            values (@ProviderName, @ProviderMessageId, @State, @Detail, @OccurredAt, @Source, @TraceParent, @InternetMessageId, @BounceType, @BounceSubType)
            """,
            new
            {
                fact.ProviderName, fact.ProviderMessageId, State = (int)fact.State, Detail = NulFreeText.Of(fact.Detail), OccurredAt = fact.OccurredAt.UtcDateTime, fact.Source, fact.InternetMessageId,
                BounceType = NulFreeText.Of(fact.Bounce?.Type), BounceSubType = NulFreeText.Of(fact.Bounce?.SubType),

                // Applied later by PendingDeliveryEvents, in this trace: the webhook's, which continues the email's sending.
                TraceParent = TraceParents.Current(),
            },
            transaction,
            cancellationToken: cancellationToken));
        return DeliveryOutcome.Kept;
    }

    /// <summary>Applies <paramref name="fact"/> to its email; null when no email has its provider id.</summary>
    public async Task<DeliveryOutcome?> ApplyAsync(NpgsqlTransaction transaction, DeliveryFact fact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(fact);
        using var activity = telemetry.StartStateChange();
        return await LockAsync(transaction, fact, cancellationToken) is { } email
            ? await ApplyToAsync(transaction, fact, email, AlwaysFirst, activity, cancellationToken)
            : null;
    }

    // Locked, so two facts about one email (two webhooks, a webhook and a bus message) take turns and the second sees
    // the first's state: each real move is published once.
    private static Task<TrackedEmail?> LockAsync(NpgsqlTransaction transaction, DeliveryFact fact, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<TrackedEmail>(new CommandDefinition(
            """
            select email_id as EmailId, order_id as OrderId, delivery_rank as Rank,
                   internet_message_id as InternetMessageId, assigned_message_id as AssignedMessageId
            from outbound_emails where provider = @ProviderName and provider_message_id = @ProviderMessageId
            for update
            """,
            new { fact.ProviderName, fact.ProviderMessageId },
            transaction,
            cancellationToken: cancellationToken));

    private async Task<DeliveryOutcome?> ApplyToAsync(
        NpgsqlTransaction transaction, DeliveryFact fact, TrackedEmail email, Func<CancellationToken, Task<bool>> first, Activity? activity, CancellationToken cancellationToken)
    {
        activity.SetOrder(null, email.OrderId)?.SetTag("ordersmail.delivery.state", DeliveryStates.Name(fact.State));
        var current = (DeliveryState)email.Rank;
        var advances = DeliveryProgress.Advances(current, fact.State);
        var assigned = email.IsNew(fact.InternetMessageId) ? fact.InternetMessageId : null;
        if (!advances && assigned is null)
        {
            return DeliveryOutcome.Unchanged;
        }

        if (!await first(cancellationToken))
        {
            return null;
        }

        if (assigned is not null)
        {
            await LearnAsync(transaction, fact, email, assigned, cancellationToken);
        }

        if (!advances)
        {
            return DeliveryOutcome.Learned;
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            update outbound_emails
            set delivery_state = @State, delivery_rank = @Rank, delivery_detail = @Detail, updated_at = now()
            where email_id = @EmailId and delivery_rank < @Rank
            """,
            new { email.EmailId, State = DeliveryStates.Name(fact.State), Rank = DeliveryStates.Rank(fact.State), Detail = NulFreeText.Of(fact.Detail) },
            transaction,
            cancellationToken: cancellationToken));
        if (fact.State == DeliveryState.Failed)
        {
            await FailForRelayAsync(transaction, email, $"the provider reported it failed after accepting it: {fact.Detail ?? "no reason given"}", cancellationToken);
        }
        else if (fact is { State: DeliveryState.Bounced, Bounce.IsSoft: true })
        {
            // The state stays bounced, what happened; the relay's failed is what lets support send it again.
            await FailForRelayAsync(transaction, email, fact.Bounce.SendAgainReason(fact.Detail), cancellationToken);
        }

        await outbox.AddAsync(
            transaction,
            new DeliveryStateChanged(email.EmailId, email.OrderId, fact.Provider, fact.State, current, fact.Detail, fact.OccurredAt),
            cancellationToken);
        return DeliveryOutcome.Moved;
    }

    // A failure reported after the acceptance (Resend's quota or domain, AgentMail's rejection) has causes ops can fix, as
    // a refusal at the send has, and a soft bounce (a full mailbox) passes: the email becomes failed for the relay, which
    // send-again asks of it, and its file is owed to failed/ (failed_file_due; ProviderFailedFiles moves it after the
    // commit). Only on the move to failed or bounced, so however often the provider reports it, the email is marked, and
    // listed and counted, once; a bounce after a complaint or failure moves nothing and marks nothing.
    private static Task<int> FailForRelayAsync(NpgsqlTransaction transaction, TrackedEmail email, string error, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            update outbound_emails
            set send_state = 'failed', last_error = @Error, failed_file_due = now()
            where email_id = @EmailId and send_state = 'sent'
            """,
            new { email.EmailId, Error = NulFreeText.Of(error) },
            transaction,
            cancellationToken: cancellationToken));

    private async Task LearnAsync(NpgsqlTransaction transaction, DeliveryFact fact, TrackedEmail email, string assigned, CancellationToken cancellationToken)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "update outbound_emails set assigned_message_id = @Assigned, updated_at = now() where email_id = @EmailId",
            new { email.EmailId, Assigned = assigned },
            transaction,
            cancellationToken: cancellationToken));
        await outbox.AddAsync(transaction, new OutboundMessageIdAssigned(email.EmailId, email.OrderId, fact.Provider, assigned), cancellationToken);
    }

    private sealed record TrackedEmail(Guid EmailId, Guid? OrderId, int Rank, string? InternetMessageId, string? AssignedMessageId)
    {
        // Ordinal: the router matches Message-IDs exactly as they come back in In-Reply-To and References.
        public bool IsNew(string? messageId) =>
            messageId is not null
            && !string.Equals(messageId, InternetMessageId, StringComparison.Ordinal)
            && !string.Equals(messageId, AssignedMessageId, StringComparison.Ordinal);
    }
}

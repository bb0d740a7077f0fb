using System.Text.Json;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Delivery;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The SQL of one <see cref="RelayJournal"/> commit: every look-up of the batch in one select, every pick-up in one
/// insert, every acceptance in one update, their events in one insert, whatever the batch's size. Returns what to
/// tell each caller once it commits.
/// </summary>
internal static class JournalBatch
{
    /// <summary>Writes <paramref name="entries"/> inside <paramref name="transaction"/>; the returned actions answer their callers.</summary>
    public static async Task<IReadOnlyList<Action>> WriteAsync(NpgsqlTransaction transaction, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        await LookUpAsync(transaction, [.. entries.OfType<LookUpEntry>()], cancellationToken);
        var answers = new List<Action>(entries.Count);
        var events = new List<OutboxEntry>(entries.Count);
        await PickUpAsync(transaction, [.. entries.OfType<PickUpEntry>()], answers, events, cancellationToken);
        await RecordSentAsync(transaction, [.. entries.OfType<SentEntry>()], answers, events, cancellationToken);
        await OutboxWriter.AddEntriesAsync(transaction, events, cancellationToken);
        return answers;
    }

    // Answered before the commit: a look-up only steers a file. "No row" makes a Resend email a batch's member, whose
    // membership commit then finds any row another file or relay created meanwhile; "a row" takes the ordinary
    // pick-up, which is right whatever the row holds.
    private static async Task LookUpAsync(NpgsqlTransaction transaction, IReadOnlyList<LookUpEntry> lookUps, CancellationToken cancellationToken)
    {
        if (lookUps.Count == 0)
        {
            return;
        }

        var known = (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            "select email_id from outbound_emails where email_id = any(@Ids)",
            new { Ids = lookUps.Select(l => l.EmailId).Distinct().ToArray() },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet();
        foreach (var lookUp in lookUps)
        {
            lookUp.Done.TrySetResult(known.Contains(lookUp.EmailId));
        }
    }

    private static async Task PickUpAsync(NpgsqlTransaction transaction, IReadOnlyList<PickUpEntry> pickUps, List<Action> answers, List<OutboxEntry> events, CancellationToken cancellationToken)
    {
        if (pickUps.Count == 0)
        {
            return;
        }

        var connection = transaction.Connection!;
        var created = (await connection.QueryAsync<(Guid EmailId, string FileName, DateTime QueuedAt)>(new CommandDefinition(
            """
            insert into outbound_emails (email_id, order_id, kind, provider, recipients, subject, file_name, internet_message_id)
            select v.email_id, v.order_id, v.kind, v.provider, array(select jsonb_array_elements_text(v.recipients)), v.subject, v.file_name, v.internet_message_id
            from unnest(@EmailIds, @OrderIds, @Kinds, @Providers, @Recipients::jsonb[], @Subjects, @FileNames, @MessageIds)
                as v (email_id, order_id, kind, provider, recipients, subject, file_name, internet_message_id)
            on conflict (email_id) do nothing
            returning email_id, file_name, queued_at
            """,
            new
            {
                EmailIds = pickUps.Select(p => p.EmailId).ToArray(),
                OrderIds = pickUps.Select(p => p.File.Email.OrderId).ToArray(),
                Kinds = pickUps.Select(p => p.File.Email.Kind ?? "email").ToArray(),
                Providers = pickUps.Select(p => OutboundEmailStore.ProviderName(p.Provider)).ToArray(),
                Recipients = pickUps.Select(p => JsonSerializer.Serialize(p.File.Email.To)).ToArray(),
                Subjects = pickUps.Select(p => p.File.Email.Subject).ToArray(),
                FileNames = pickUps.Select(p => p.FileName).ToArray(),
                MessageIds = pickUps.Select(p => p.InternetMessageId).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken))).ToDictionary(c => (c.EmailId, c.FileName), c => c.QueuedAt);

        // Only emails picked up before need their row read; a row just created is known (pending, no attempt yet).
        var seenBefore = pickUps.Where(p => !created.ContainsKey((p.EmailId, p.FileName))).Select(p => p.EmailId).Distinct().ToArray();
        var rows = seenBefore.Length == 0 ? new Dictionary<Guid, EmailRecord>() : (await connection.QueryAsync<EmailRecord>(new CommandDefinition(
            $"select {OutboundEmailStore.Columns}, false as IsNew from outbound_emails where email_id = any(@Ids)",
            new { Ids = seenBefore },
            transaction,
            cancellationToken: cancellationToken))).ToDictionary(r => r.EmailId);

        var duplicates = new List<PickUpEntry>();
        foreach (var pickUp in pickUps)
        {
            var isNew = created.TryGetValue((pickUp.EmailId, pickUp.FileName), out var queuedAt);
            var record = isNew ? new EmailRecord(pickUp.EmailId, pickUp.FileName, "pending", 0, null, null, null, queuedAt, null, Unsent: false, IsNew: true) : rows[pickUp.EmailId];
            pickUp.Record = record;
            if (isNew)
            {
                events.Add(pickUp.Queued);
            }
            else if (record.FileName != pickUp.FileName)
            {
                duplicates.Add(pickUp);
            }

            answers.Add(() => pickUp.Done.TrySetResult(record));
        }

        if (duplicates.Count > 0)
        {
            // A second file carrying an email id already picked up: remembered, so ops can see why it went to sent/ unsent.
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into outbound_email_duplicates (file_name, email_id) select * from unnest(@FileNames, @EmailIds) on conflict do nothing",
                new { FileNames = duplicates.Select(d => d.FileName).ToArray(), EmailIds = duplicates.Select(d => d.EmailId).ToArray() },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    private static async Task RecordSentAsync(NpgsqlTransaction transaction, IReadOnlyList<SentEntry> recording, List<Action> answers, List<OutboxEntry> events, CancellationToken cancellationToken)
    {
        if (recording.Count == 0)
        {
            return;
        }

        // The provider's acceptance is the email's "sent" (Resend's email.sent and AgentMail's message.sent say the same
        // thing later): recorded here, those facts change nothing and publish no DeliveryStateChanged of their own, and
        // OutboundEmailSent already told orders-api. No fact can have moved the row before (facts find it by the provider id
        // stamped here); greatest() keeps the rule that a rank never goes down all the same.
        var updated = (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            """
            update outbound_emails e
            set send_state = 'sent', provider_message_id = v.provider_message_id, internet_message_id = v.internet_message_id,
                attempts = e.attempts + 1, next_attempt_at = null, last_error = null, sent_at = v.sent_at, updated_at = now(),
                delivery_state = case when e.delivery_rank < @SentRank then @SentState else e.delivery_state end,
                delivery_rank = greatest(e.delivery_rank, @SentRank)
            from unnest(@EmailIds, @ProviderMessageIds, @InternetMessageIds, @SentAts) as v (email_id, provider_message_id, internet_message_id, sent_at)
            where e.email_id = v.email_id and e.send_state = 'pending'
            returning e.email_id
            """,
            new
            {
                EmailIds = recording.Select(s => s.EmailId).ToArray(),
                ProviderMessageIds = recording.Select(s => s.Accepted.ProviderMessageId).ToArray(),
                InternetMessageIds = recording.Select(s => s.Accepted.InternetMessageId).ToArray(),
                SentAts = recording.Select(s => s.SentAt.UtcDateTime).ToArray(),
                SentRank = DeliveryStates.Rank(DeliveryState.Sent),
                SentState = DeliveryStates.Name(DeliveryState.Sent),
            },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet();

        foreach (var entry in recording)
        {
            // Remove, not Contains: should one email be accepted twice in a batch, only the first records it.
            var recorded = updated.Remove(entry.EmailId);
            entry.Recorded = recorded;
            if (recorded)
            {
                events.Add(entry.Sent);
            }

            answers.Add(() => entry.Done.TrySetResult(recorded));
        }
    }
}

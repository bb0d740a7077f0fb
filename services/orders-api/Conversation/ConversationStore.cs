using Dapper;
using Npgsql;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// The conversation's reads and writes for the API. Every statement names the caller's user id, so another user's
/// order reads exactly like a missing one; every change is one statement, or one transaction holding the row's lock,
/// so concurrent requests on one message never lose each other's changes.
/// </summary>
internal sealed class ConversationStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        m.id, m.message_id as MessageId, m.thread_id as ThreadId, m.direction, m.from_address as FromAddress, m.subject,
        m.preview, m.sender_verified as SenderVerified, m.labels, m.is_read as IsRead, m.archived, m.received_at as ReceivedAt,
        m.email_id as EmailId
        """;

    private const string ColumnsWithBody = Columns + ", m.body";

    private const string OwnedMessage = """
        m.id = @MessageId and m.order_id = @OrderId
        and exists (select 1 from orders o where o.id = m.order_id and o.user_id = @UserId)
        """;

    public async Task<bool> OrderIsOwnedAsync(Guid orderId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from orders where id = @OrderId and user_id = @UserId)",
            new { OrderId = orderId, UserId = userId },
            cancellationToken: cancellationToken));
    }

    /// <summary>One page of an order's messages, oldest first; the order's ownership is checked by the caller.</summary>
    public async Task<KeysetPage<MessageView>> ListAsync(Guid orderId, MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new DynamicParameters(new { OrderId = orderId, Take = query.Limit + 1 });
        var conditions = new List<string> { "m.order_id = @OrderId" };
        if (!query.IncludeArchived)
        {
            conditions.Add("not m.archived");
        }

        if (query.VerifiedOnly)
        {
            conditions.Add("m.sender_verified");
        }

        if (query.IsRead is { } isRead)
        {
            conditions.Add("m.is_read = @IsRead");
            parameters.Add("IsRead", isRead);
        }

        if (query.Label is { } label)
        {
            conditions.Add("@Label = any (m.labels)");
            parameters.Add("Label", label);
        }

        if (query.Text is { } text)
        {
            // strpos rather than ilike: the text is matched literally, so % and _ in it need no escaping.
            conditions.Add("""
                (strpos(lower(m.subject), lower(@Text)) > 0
                 or strpos(lower(m.preview), lower(@Text)) > 0
                 or strpos(lower(m.from_address), lower(@Text)) > 0)
                """);
            parameters.Add("Text", text);
        }

        if (query.After is { } after)
        {
            conditions.Add("(m.received_at, m.id) > (@AfterReceivedAt, @AfterId)");
            parameters.Add("AfterReceivedAt", after.At);
            parameters.Add("AfterId", after.Id);
        }

        var sql = $"""
            select {Columns} from order_messages m
            where {string.Join("\n  and ", conditions)}
            order by m.received_at, m.id
            limit @Take
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<MessageRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();

        // One row more than the page tells whether another page follows, without counting.
        var page = rows.Take(query.Limit).ToList();
        return new KeysetPage<MessageView>(page.ConvertAll(r => r.ToView()), rows.Count > query.Limit ? page[^1].Position : null);
    }

    /// <summary>One message with its body, or null.</summary>
    public async Task<MessageView?> FindAsync(MessageKey key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(
            $"select {ColumnsWithBody} from order_messages m where {OwnedMessage}", key, cancellationToken: cancellationToken));
        return row?.ToView();
    }

    /// <summary>Unread, unarchived messages of the order; null when it is not an order of the caller's.</summary>
    public async Task<int?> UnreadCountAsync(Guid orderId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            """
            select (select count(*)::int from order_messages m where m.order_id = o.id and not m.is_read and not m.archived)
            from orders o
            where o.id = @OrderId and o.user_id = @UserId
            """,
            new { OrderId = orderId, UserId = userId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Marks the message read or unread; doing it twice is harmless, so it is always applied.</summary>
    public async Task<ChangeResult> SetReadAsync(MessageKey key, bool isRead, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(
            $"update order_messages m set is_read = @IsRead where {OwnedMessage} returning {ColumnsWithBody}",
            new { key.OrderId, key.MessageId, key.UserId, IsRead = isRead },
            cancellationToken: cancellationToken));
        return row is null ? new ChangeResult(ChangeOutcome.NotFound) : new ChangeResult(ChangeOutcome.Applied, row.ToView());
    }

    /// <summary>
    /// Archives or unarchives the message, only when it is not that way already: of two concurrent requests to archive
    /// it, exactly one applies, since the state check is part of the update.
    /// </summary>
    public async Task<ChangeResult> SetArchivedAsync(MessageKey key, bool archived, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(
            $"update order_messages m set archived = @Archived where {OwnedMessage} and m.archived <> @Archived returning {ColumnsWithBody}",
            new { key.OrderId, key.MessageId, key.UserId, Archived = archived },
            cancellationToken: cancellationToken));
        if (row is not null)
        {
            return new ChangeResult(ChangeOutcome.Applied, row.ToView());
        }

        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists (select 1 from order_messages m where {OwnedMessage})", key, cancellationToken: cancellationToken));
        return new ChangeResult(exists ? ChangeOutcome.AlreadySo : ChangeOutcome.NotFound);
    }

    /// <summary>
    /// Adds then removes labels in one transaction holding the message's row lock, so two concurrent changes apply one
    /// after the other, each to the labels the other left.
    /// </summary>
    public async Task<ChangeResult> ChangeLabelsAsync(MessageKey key, LabelChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<string[]>(new CommandDefinition(
            $"select m.labels from order_messages m where {OwnedMessage} for update", key, transaction, cancellationToken: cancellationToken));
        if (current is null)
        {
            return new ChangeResult(ChangeOutcome.NotFound);
        }

        var labels = change.ApplyTo(current);
        if (labels.Count > LabelRules.MaxPerMessage)
        {
            return new ChangeResult(ChangeOutcome.TooManyLabels, LabelCount: labels.Count);
        }

        var row = await connection.QuerySingleAsync<MessageRow>(new CommandDefinition(
            $"update order_messages m set labels = @Labels where m.id = @MessageId returning {ColumnsWithBody}",
            new { key.MessageId, Labels = labels.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new ChangeResult(ChangeOutcome.Applied, row.ToView());
    }
}

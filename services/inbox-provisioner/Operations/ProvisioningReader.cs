using System.Text.Json;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Sagas;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Saga;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>Reads sagas and customers for ops; it never changes them.</summary>
public sealed class ProvisioningReader(NpgsqlDataSource dataSource)
{
    /// <summary>The most sagas of one customer a list carries, the newest.</summary>
    public const int MaxSagasPerCustomer = 100;

    /// <summary>
    /// A customer's newest sagas (<c>@userId</c>, <c>@MaxSagasPerCustomer</c>). Sagas are never deleted: the index
    /// <c>provisioning_sagas_user_newest</c> gives one customer's newest first, so the list reads as many as it carries,
    /// not every saga the customer ever had.
    /// </summary>
    public const string ForCustomerSql =
        """
        select data::text as Data, updated_at as UpdatedAt from provisioning_sagas
        where data ->> 'userId' = @userId order by created_at desc limit @MaxSagasPerCustomer
        """;

    /// <summary>The saga of <paramref name="orderId"/>, or null.</summary>
    public async Task<ProvisioningView?> ForOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SagaRow>(new CommandDefinition(
            "select data::text as Data, updated_at as UpdatedAt from provisioning_sagas where correlation_id = @orderId",
            new { orderId },
            cancellationToken: cancellationToken));
        return row?.View();
    }

    /// <summary>The sagas of a customer's orders, newest first.</summary>
    public async Task<IReadOnlyList<ProvisioningView>> ForCustomerAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SagaRow>(new CommandDefinition(
            ForCustomerSql,
            new { userId, MaxSagasPerCustomer },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.View())];
    }

    /// <summary>What the customer owns at AgentMail, or null.</summary>
    public async Task<CustomerInbox?> CustomerAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CustomerInbox>(new CommandDefinition(
            """
            select user_id as UserId, inbox_id as InboxId, inbox_address as InboxAddress, inbox_generation as InboxGeneration,
                   webhook_id as WebhookId, webhook_generation as WebhookGeneration, newest_order_ref as NewestOrderRef
            from customer_inboxes where user_id = @userId
            """,
            new { userId },
            cancellationToken: cancellationToken));
    }

    private sealed class SagaRow
    {
        public string Data { get; init; } = string.Empty;

        public DateTime UpdatedAt { get; init; }

        public ProvisioningView View() =>
            ProvisioningView.Of(JsonSerializer.Deserialize<ProvisioningState>(Data, PostgresSagaData.Options)!, new DateTimeOffset(UpdatedAt, TimeSpan.Zero));
    }
}

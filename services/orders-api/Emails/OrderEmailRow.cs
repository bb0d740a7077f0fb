using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// An <c>order_emails</c> row as the order and its email list read it, in their order: by <c>recorded_at</c> (when
/// orders-api first heard of the email, set once) and then <c>email_id</c>, which no later event changes.
/// </summary>
// A class, not a record: Dapper matches constructors by exact column types, and text[] reads as System.Array.
internal sealed class OrderEmailRow
{
    /// <summary>The columns of <c>order_emails e</c>, aliased as the properties are named.</summary>
    public const string Columns = """
        e.order_id as OrderId, e.email_id as EmailId, e.kind as Kind, e.subject as Subject, e.recipients as Recipients,
        e.provider as Provider, e.state as State, e.detail as Detail, e.queued_at as QueuedAt, e.updated_at as UpdatedAt,
        e.sent_again_of as SentAgainOf, e.recorded_at as RecordedAt
        """;

    public Guid OrderId { get; init; }

    public Guid EmailId { get; init; }

    public string? Kind { get; init; }

    public string? Subject { get; init; }

    public string[]? Recipients { get; init; }

    public string? Provider { get; init; }

    public string State { get; init; } = "";

    public string? Detail { get; init; }

    public DateTime? QueuedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public Guid? SentAgainOf { get; init; }

    public DateTime RecordedAt { get; init; }

    /// <summary>The row's position in the order's emails, for the next page's cursor.</summary>
    public PagePosition Position => new(RecordedAt, EmailId);

    public OrderEmailView ToView() => new(
        EmailId, Kind, Subject, Recipients ?? [], Provider, State, Detail, QueuedAt is { } queuedAt ? Utc(queuedAt) : null, Utc(UpdatedAt), SentAgainOf);

    private static DateTimeOffset Utc(DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc), TimeSpan.Zero);
}

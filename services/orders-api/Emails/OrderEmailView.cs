namespace OrdersMail.OrdersApi.Emails;

/// <summary>One outbound email of an order. The descriptive fields come from whichever event carried them first, so they may still be null.</summary>
/// <param name="EmailId">The outbound email's id.</param>
/// <param name="Kind"><c>order-confirmation</c>, <c>agent-reply</c>, <c>receipt</c>...</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Recipients">Who it goes to.</param>
/// <param name="Provider"><c>agentmail</c> or <c>resend</c>.</param>
/// <param name="State">The furthest delivery state reported (see <see cref="DeliveryStates"/>).</param>
/// <param name="Detail">The reason given with that state (a bounce, a failure), if any.</param>
/// <param name="QueuedAt">When it was written to the outbox.</param>
/// <param name="UpdatedAt">When the latest event about it happened.</param>
/// <param name="SentAgainOf">The failed email of the order this one is a copy of, sent again by ops; null for any other.</param>
public sealed record OrderEmailView(
    Guid EmailId,
    string? Kind,
    string? Subject,
    IReadOnlyList<string> Recipients,
    string? Provider,
    string State,
    string? Detail,
    DateTimeOffset? QueuedAt,
    DateTimeOffset UpdatedAt,
    Guid? SentAgainOf = null);

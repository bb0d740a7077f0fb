namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>A message the agent handed to a person, as ops see it.</summary>
/// <param name="MessageId">The message's id (as in the order's conversation URLs), what <c>done</c> takes.</param>
/// <param name="OrderId">Its order.</param>
/// <param name="OrderRef">Its order's reference, as the customer knows it.</param>
/// <param name="From">Who wrote it, as its From header said.</param>
/// <param name="Subject">Its subject.</param>
/// <param name="ReceivedAt">When it was received.</param>
/// <param name="Label">The agent's label: <c>needs-review</c> or <c>needs-action</c>.</param>
/// <param name="Reason">Why (<see cref="HandoffReasons"/>).</param>
/// <param name="Intent">What the agent read it as asking (<c>cancel</c>, <c>where_is_my_order</c>, <c>other</c>...).</param>
/// <param name="Answered">Whether the agent answers it (a safe answer, for a stranger); false when it left it unanswered.</param>
/// <param name="HandedAt">When the agent handed it off.</param>
public sealed record HandoffView(
    Guid MessageId,
    Guid OrderId,
    string OrderRef,
    string From,
    string Subject,
    DateTime ReceivedAt,
    string Label,
    string Reason,
    string Intent,
    bool Answered,
    DateTime HandedAt);

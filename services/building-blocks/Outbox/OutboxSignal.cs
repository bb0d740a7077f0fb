using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Wakes this process's relay when a transaction that wrote outbox rows has committed, so the event is
/// published within milliseconds instead of at the next poll.
/// </summary>
public sealed class OutboxSignal : WakeUpSignal;

using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>The broker answers again after it did not: <see cref="BrokerConnection"/> was recovered, or opened after failing.</summary>
internal sealed class BrokerReturned : WakeUpSignal;

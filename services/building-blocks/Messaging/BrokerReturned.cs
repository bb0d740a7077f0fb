using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>The broker answers again after it did not: <see cref="BrokerConnection"/> lost its connection and the client recovered it.</summary>
internal sealed class BrokerReturned : WakeUpSignal;

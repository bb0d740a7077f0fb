using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>Wakes the missed-mail pump when a look was asked for, so it starts within milliseconds.</summary>
public sealed class MissedMailSignal : WakeUpSignal;

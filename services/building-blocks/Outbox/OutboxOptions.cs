namespace OrdersMail.OrdersApi.Outbox;

/// <summary>How the outbox relay paces itself: section <c>OrdersApi:Outbox</c> (<c>ORDERSMAIL_OrdersApi__Outbox__BatchSize</c>...).</summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "OrdersApi:Outbox";

    /// <summary>Rows taken (and locked) per transaction; each is published and stamped before the transaction commits.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How often the relay looks for rows without being signalled: rows committed by another replica
    /// (whose signal only wakes its own relay), or left pending by a relay that stopped.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may wait for the broker's confirm; with the broker down a publish would otherwise wait for it forever.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first pause after a failed publish; each next failure doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between two attempts while the broker (or the database) is failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
}

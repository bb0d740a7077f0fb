using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>
/// What ops watch of the looks for missed mail: the messages recovered (each one an email that would have reached no
/// one), and the looks by outcome, <c>given_up</c> being the one to alert on (the inbox's mail waits for a person).
/// </summary>
public sealed class MissedMailMetrics
{
    /// <summary>Messages a look found undecided and recorded for routing.</summary>
    public const string Messages = "ordersmail.inbound.missed_mail.messages";

    /// <summary>Looks, by outcome: <c>done</c>, <c>resumed</c> (a pass cut short, the rest listed by the next), <c>postponed</c> (AgentMail unavailable), <c>given_up</c>.</summary>
    public const string Looks = "ordersmail.inbound.missed_mail.looks";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _looks;

    /// <summary>Creates the instruments on the service's meter.</summary>
    public MissedMailMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _messages = telemetry.Meter.CreateCounter<long>(Messages, "{message}", "Messages an inbox received while no webhook fed it, recorded for routing.");
        _looks = telemetry.Meter.CreateCounter<long>(Looks, "{look}", "Looks for the mail an inbox received while no webhook fed it, by outcome (done, resumed, postponed, given_up).");
    }

    /// <summary>A look committed <paramref name="count"/> messages' rows, whether or not its pass ends well.</summary>
    public void Recorded(int count) => _messages.Add(count);

    /// <summary>A look's pass ended: <c>done</c>, <c>resumed</c>, <c>postponed</c> or <c>given_up</c>.</summary>
    public void Looked(string outcome) => _looks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

using System.Diagnostics.Metrics;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// The client's instruments: one count per call (not per attempt), tagged with the <c>operation</c>
/// (<see cref="AgentMailOperations"/>) and its <c>outcome</c>.
/// </summary>
public sealed class AgentMailMetrics
{
    /// <summary>Calls to AgentMail, by operation and outcome.</summary>
    public const string Requests = "agentmail.client.requests";

    /// <summary>A 2xx answer.</summary>
    public const string Success = "success";

    /// <summary>A 404 answer.</summary>
    public const string NotFound = "not_found";

    /// <summary>Another definitive 4xx answer.</summary>
    public const string Rejected = "rejected";

    /// <summary>The caller cancelled the call.</summary>
    public const string Canceled = "canceled";

    private readonly Counter<long> _requests;

    /// <summary>Creates the instruments on <paramref name="meter"/> (the service's meter).</summary>
    public AgentMailMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _requests = meter.CreateCounter<long>(Requests, "{call}", "Calls to the AgentMail API, by operation and outcome.");
    }

    /// <summary>The outcome tag of a call AgentMail could not answer: <c>transient_status</c>, <c>unreachable</c>, <c>timeout</c>, <c>circuit_open</c>.</summary>
    public static string OutcomeOf(AgentMailUnavailableReason reason) => reason switch
    {
        AgentMailUnavailableReason.TransientStatus => "transient_status",
        AgentMailUnavailableReason.Unreachable => "unreachable",
        AgentMailUnavailableReason.Timeout => "timeout",
        _ => "circuit_open",
    };

    /// <summary>Counts one call of <paramref name="operation"/> that ended with <paramref name="outcome"/>.</summary>
    public void Record(string operation, string outcome) =>
        _requests.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
}

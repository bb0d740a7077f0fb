using System.Diagnostics.Metrics;

namespace OrdersMail.Integrations.Resend;

/// <summary>The client's instrument: one count per send (not per attempt), tagged with its <c>outcome</c>.</summary>
public sealed class ResendMetrics
{
    /// <summary>Sends to Resend, by outcome.</summary>
    public const string Requests = "resend.client.requests";

    /// <summary>Accepted (2xx).</summary>
    public const string Success = "success";

    /// <summary>Refused for good (a 4xx other than 408 and 429).</summary>
    public const string Rejected = "rejected";

    /// <summary>No definitive answer: transient failures outlasted the retries, or the circuit was open.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Refused for the team's quota, by Resend or unsent during the pause its refusal began (<see cref="ResendQuota"/>).</summary>
    public const string QuotaExceeded = "quota_exceeded";

    private readonly Counter<long> _requests;

    /// <summary>Creates the instrument on <paramref name="meter"/>.</summary>
    public ResendMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _requests = meter.CreateCounter<long>(Requests, "{call}", "Sends to the Resend API, by outcome.");
    }

    /// <summary>Counts one send that ended with <paramref name="outcome"/>.</summary>
    public void Record(string outcome) => _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

namespace OrdersMail.Load.Scenarios;

/// <summary>How big the hostile-provider storm is and how hostile the provider.</summary>
/// <param name="Storm">The reduced order storm placed under the faults (its own customers).</param>
/// <param name="ErrorRate">The share of AgentMail and Resend calls answered 429 or 503 (half each).</param>
/// <param name="LatencyMs">Added to every AgentMail and Resend call.</param>
/// <param name="DriftRate">The share of inbox webhooks AgentMail stores with the wrong scope (half org-wide, half another inbox).</param>
/// <param name="SettleTimeout">How long every order may take to settle, from the first POST.</param>
public sealed record HostileProviderSettings(OrderStormSettings Storm, double ErrorRate, int LatencyMs, double DriftRate, TimeSpan SettleTimeout)
{
    /// <summary>People's size: 300 orders from 250 customers.</summary>
    public static readonly HostileProviderSettings Full = new(new OrderStormSettings(300, 250, 16, TimeSpan.FromMinutes(15), 0), 0.3, 20, 0.2, TimeSpan.FromMinutes(15));

    /// <summary>CI's size: 24 orders from 20 customers.</summary>
    public static readonly HostileProviderSettings Small = new(new OrderStormSettings(24, 20, 8, TimeSpan.FromMinutes(3), 0), 0.3, 20, 0.2, TimeSpan.FromMinutes(5));
}

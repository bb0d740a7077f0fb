using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>Providers as <c>outbound_emails.provider</c> stores them.</summary>
public static class ProviderNames
{
    /// <summary><c>agentmail</c> or <c>resend</c>.</summary>
    public static string Of(EmailProvider provider) => provider switch
    {
        EmailProvider.AgentMail => "agentmail",
        EmailProvider.Resend => "resend",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a provider outbound_emails knows."),
    };

    /// <summary>The provider stored as <paramref name="name"/>.</summary>
    public static EmailProvider Parse(string name) => name switch
    {
        "agentmail" => EmailProvider.AgentMail,
        "resend" => EmailProvider.Resend,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a provider outbound_emails knows."),
    };
}

using OrdersMail.Contracts.Outbound;

namespace OrdersMail.BuildingBlocks.Delivery;

/// <summary>
/// Providers as every service stores and shows them (orders-api's <c>order_emails.provider</c>, delivery-tracker's
/// <c>outbound_emails.provider</c>, whose check takes these two names only). A provider this build does not know is
/// refused rather than stored under a name made up for it, which nothing could read back as a provider.
/// </summary>
public static class EmailProviders
{
    /// <summary><c>agentmail</c> or <c>resend</c>.</summary>
    public static string Name(EmailProvider provider) => provider switch
    {
        EmailProvider.AgentMail => "agentmail",
        EmailProvider.Resend => "resend",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a provider OrdersMail knows."),
    };

    /// <summary>The provider stored as <paramref name="name"/>.</summary>
    public static EmailProvider Parse(string name) => name switch
    {
        "agentmail" => EmailProvider.AgentMail,
        "resend" => EmailProvider.Resend,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a provider OrdersMail knows."),
    };
}

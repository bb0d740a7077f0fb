using System.Text.Json;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// How an email's delivery state is stored and shown, and its rank: an event only replaces the stored state
/// when its rank is higher, so a late <c>Sent</c> never replaces <c>Delivered</c>. The rank is the contract's
/// own order (<see cref="DeliveryState"/>'s values, which delivery-tracker also moves forward by):
/// queued 1 &lt; sent 2 &lt; delivery_delayed 3 &lt; delivered 4 &lt; bounced 5 &lt; complained 6 &lt; failed 7.
/// Complained outranks delivered because a complaint comes after delivery; failed (the relay gave up) is final.
/// </summary>
public static class DeliveryStates
{
    /// <summary>The state's rank; higher wins.</summary>
    public static int Rank(DeliveryState state) => (int)state;

    /// <summary>The state as stored and shown: <c>queued</c>, <c>delivery_delayed</c>...</summary>
    public static string Name(DeliveryState state) => JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString());

    /// <summary>The provider as stored and shown: <c>agentmail</c> or <c>resend</c>.</summary>
    public static string ProviderName(EmailProvider provider) => provider switch
    {
        EmailProvider.AgentMail => "agentmail",
        EmailProvider.Resend => "resend",
        _ => JsonNamingPolicy.SnakeCaseLower.ConvertName(provider.ToString()),
    };
}

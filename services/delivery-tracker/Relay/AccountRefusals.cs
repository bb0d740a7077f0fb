using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Resend's refusals of a send for the account rather than the email: a key missing, unknown, revoked, suspended or
/// short of a permission, a sending domain not verified (docs/resend.md §4); AgentMail's are its client's to tell
/// (<see cref="OrdersMail.Integrations.AgentMail.AgentMailException.IsAccountRefusal"/>), as the inbox-provisioner needs
/// them too. Every email sent meanwhile meets the same answer, and the same email goes out once ops put the account
/// right, so such a refusal pauses the channel (<see cref="ProviderPause"/>) instead of failing the email. Only the
/// codes Resend documents as the account's count: an unknown code might be the email's own fault, and taken for the
/// account's, that one email would pause every send for good.
/// </summary>
public static class AccountRefusals
{
    // Resend's 403s, every one about the key, its rights, the team's quota or the sending domain: validation_error is a
    // 403 only for the testing domain or an unverified one (a 400 or 422 names the email's own fields), and
    // invalid_from_address names the From every email carries (DeliveryTracker:Relay:From).
    private static readonly HashSet<string> ResendForbidden = new(StringComparer.Ordinal)
    {
        "invalid_api_key", "validation_error", "invalid_from_address", "email_above_quota", "invalid_permission", "suspended_api_key",
    };

    /// <summary>
    /// Whether Resend refused for the account: any 401 (<c>missing_api_key</c>, <c>restricted_api_key</c>, and
    /// <c>validation_error</c> for a key that does not exist), or a 403 of the key, its rights or the domain.
    /// </summary>
    public static bool Of(ResendException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.StatusCode == 401 || (refusal.StatusCode == 403 && refusal.Name is { } name && ResendForbidden.Contains(name));
    }
}

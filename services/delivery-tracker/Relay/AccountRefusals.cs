using OrdersMail.Integrations.AgentMail;
using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The providers' refusals of a send for the account rather than the email: a key missing, unknown, revoked, suspended
/// or short of a permission, a sending domain not verified (docs/resend.md §4, docs/agentmail.md). Every email sent
/// meanwhile meets the same answer, and the same email goes out once ops put the account right, so such a refusal
/// pauses the channel (<see cref="ProviderPause"/>) instead of failing the email. Only the codes the providers
/// document as the account's count: an unknown code might be the email's own fault, and taken for the account's, that
/// one email would pause every send for good.
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

    // AgentMail's 403s about the key or the organisation; message_rejected (a blocked recipient, an attachment) and
    // resource_taken are the request's own.
    private static readonly HashSet<string> AgentMailForbidden = new(StringComparer.Ordinal)
    {
        "missing_permission", "forbidden", "permission_escalation", "limit_exceeded", "domain_not_verified",
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

    /// <summary>
    /// Whether AgentMail refused for the account, by its code (AgentMail: "branch on code, not name or message"): any
    /// 401 (<c>missing_authorization</c>, <c>invalid_token_type</c>, <c>unknown_api_key</c>, <c>unauthorized</c>), or a
    /// 403 of the key's permission, the organisation's limits or its domain.
    /// </summary>
    public static bool Of(AgentMailException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.StatusCode == 401 || (refusal.StatusCode == 403 && refusal.Code is { } code && AgentMailForbidden.Contains(code));
    }
}

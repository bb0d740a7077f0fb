namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Resend refused a send for the team's sending quota (429 <c>daily_quota_exceeded</c> or <c>monthly_quota_exceeded</c>,
/// docs/resend.md §3), or the client refused it unsent during the pause such a refusal began (<see cref="ResendQuota"/>).
/// Nothing was sent, and a quick retry would change nothing: send it again after <see cref="PausedUntil"/>, under the
/// same <c>Idempotency-Key</c>.
/// </summary>
public sealed class ResendQuotaExceededException(string name, string message, DateTimeOffset pausedUntil, bool answered) : Exception(message)
{
    /// <summary>
    /// True when Resend answered this request with the refusal, which says its key was not used; false when the client
    /// refused it unsent during the pause, which says nothing of an earlier request under the key.
    /// </summary>
    public bool Answered { get; } = answered;

    /// <summary>Resend's error name: <c>daily_quota_exceeded</c> or <c>monthly_quota_exceeded</c>.</summary>
    public string Name { get; } = name;

    /// <summary>When the pause ends: the first send after it asks Resend whether the quota is back.</summary>
    public DateTimeOffset PausedUntil { get; } = pausedUntil;
}

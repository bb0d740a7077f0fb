namespace OrdersMail.MailSandbox.Core;

/// <summary>In-memory state of one emulated API; <c>POST /sandbox/reset</c> clears every registered one.</summary>
public interface ISandboxState
{
    /// <summary>Forgets everything, as if the sandbox had just started (keys, like Clerk's signing key, may stay).</summary>
    void Reset();
}

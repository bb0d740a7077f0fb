using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>
/// A sandbox shared by one spec class, with Resend's rate limit raised out of the way, for specs about anything
/// but the rate limit. (<see cref="SandboxFactory"/> is sealed, so its settings are extended here, not in a subclass.)
/// </summary>
public sealed class UnthrottledSandbox : IDisposable
{
    /// <summary>Starts the sandbox with 10 000 requests per second per key.</summary>
    public UnthrottledSandbox() => Factory.Settings["MailSandbox:ResendRequestsPerSecond"] = "10000";

    /// <summary>The sandbox.</summary>
    public SandboxFactory Factory { get; } = new();

    /// <inheritdoc />
    public void Dispose() => Factory.Dispose();
}

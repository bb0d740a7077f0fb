namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>A clock the message specs move by hand, to see what 24 hours do to an idempotency key.</summary>
public sealed class MessageClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => _now += by;
}

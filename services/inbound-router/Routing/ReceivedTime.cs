namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// When AgentMail received an email, as the router takes it from what AgentMail says (a webhook's message, a listed one):
/// its <c>created_at</c> (AgentMail's clock), else its <c>timestamp</c> (the sender's Date), unless that is more than
/// <see cref="FutureAllowance"/> after the router's receipt, when it is the receipt. A compromised provider or a sender's
/// Date can say any time AgentMail's signature covers: <c>9999-12-31T23:45:00Z</c> was taken as it came, and routing's
/// clock-skew allowance added to it overflowed, failing the decisions of every email of its batch. Earlier times are
/// kept: mail comes late for real (Svix retries for days, missed mail is recovered after its inbox's webhook is mended).
/// </summary>
public static class ReceivedTime
{
    /// <summary>How far ahead of the router's clock AgentMail's may be: <see cref="RoutingOptions.OrderClockSkew"/>'s default.</summary>
    public static readonly TimeSpan FutureAllowance = TimeSpan.FromMinutes(30);

    /// <summary>The time the email counts as received: <paramref name="createdAt"/> ?? <paramref name="timestamp"/>, or <paramref name="now"/> when that is too far ahead of it.</summary>
    public static DateTimeOffset Of(DateTimeOffset? createdAt, DateTimeOffset timestamp, DateTimeOffset now)
    {
        var said = createdAt ?? timestamp;
        return said - now > FutureAllowance ? now : said;
    }
}

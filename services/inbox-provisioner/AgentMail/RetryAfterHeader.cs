namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>The wait a response's <c>Retry-After</c> asks for, in seconds or as an HTTP-date, capped.</summary>
internal static class RetryAfterHeader
{
    /// <summary>The wait asked for, at most <paramref name="cap"/>; null when the response asks for none.</summary>
    public static TimeSpan? Delay(HttpResponseMessage? response, TimeProvider time, TimeSpan cap)
    {
        var asked = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return asked is { } wait ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, cap.Ticks)) : null;
    }
}

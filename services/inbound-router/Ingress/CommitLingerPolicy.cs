namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// When a group-commit writer waits a moment for more events before it commits. At a steady rate each commit otherwise
/// takes the two or three events that came since the last one, and the router and PostgreSQL pay a round trip set and a
/// commit for each small batch. Waiting only pays when more are coming: so only a small batch waits, and only when its
/// writer committed moments ago. An event after a quiet spell is committed at once.
/// </summary>
public static class CommitLingerPolicy
{
    /// <summary>A batch this size or larger is committed at once: it already shares its commit widely.</summary>
    public const int SmallBatch = 8;

    /// <summary>How many lingers ago the writer's last commit may have ended for events to count as arriving steadily.</summary>
    public const int SteadyWithin = 5;

    /// <summary>Whether a writer holding <paramref name="gathered"/> events, whose last commit ended <paramref name="sinceLastCommit"/> ago, waits <paramref name="linger"/>.</summary>
    public static bool ShouldWait(int gathered, TimeSpan sinceLastCommit, TimeSpan linger) =>
        linger > TimeSpan.Zero && gathered < SmallBatch && sinceLastCommit < linger * SteadyWithin;
}

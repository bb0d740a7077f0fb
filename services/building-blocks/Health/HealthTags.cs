namespace OrdersMail.BuildingBlocks.Health;

/// <summary>Health check tags: what <c>/health/ready</c> and <c>/health/serving</c> include.</summary>
public static class HealthTags
{
    /// <summary>Checks the whole service needs: its HTTP routes and its consumers (MassTransit tags its bus check the same way).</summary>
    public const string Ready = "ready";

    /// <summary>
    /// Checks the service's HTTP routes need: only the database. Every route records what it takes (an order, a webhook's
    /// event) in the database, and the outbox hands it to the bus whenever the broker answers.
    /// </summary>
    public const string Serving = "serving";
}

namespace OrdersMail.BuildingBlocks.Health;

/// <summary>Health check tags: what <c>/health/ready</c> includes.</summary>
public static class HealthTags
{
    /// <summary>Checks that must pass before the service takes traffic (MassTransit tags its bus check the same way).</summary>
    public const string Ready = "ready";
}

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>A message the bus specs publish.</summary>
/// <param name="Id">Tells one ping from another.</param>
public sealed record Ping(Guid Id);

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>A message whose consumer finds the database unable to take work for a while.</summary>
/// <param name="Id">Tells one message from another.</param>
public sealed record Outage(Guid Id);

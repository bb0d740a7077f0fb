namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>A message whose consumer always throws.</summary>
/// <param name="Id">Tells one message from another.</param>
public sealed record Boom(Guid Id);

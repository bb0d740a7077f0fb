namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>A message of a newer version of a service, which an older version's outbox does not carry.</summary>
/// <param name="Id">Tells one postcard from another.</param>
/// <param name="Greeting">Some content.</param>
public sealed record Postcard(Guid Id, string Greeting);

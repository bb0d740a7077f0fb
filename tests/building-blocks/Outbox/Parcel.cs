namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>The message the outbox specs write and publish.</summary>
/// <param name="Id">Tells one parcel from another.</param>
/// <param name="Label">Some content, compared on arrival.</param>
/// <param name="SentAt">A timestamp, so the payload's JSON round trip is exercised.</param>
public sealed record Parcel(Guid Id, string Label, DateTimeOffset SentAt);

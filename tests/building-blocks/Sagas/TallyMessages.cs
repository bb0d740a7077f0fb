namespace OrdersMail.BuildingBlocks.Tests.Sagas;

/// <summary>Opens a tally (the initiating event); on an open tally it only counts the repeat.</summary>
public sealed record TallyOpened(Guid TallyId, string Title, string? Note, DateTimeOffset OpenedAt);

/// <summary>Adds one to an open tally and records who did it.</summary>
public sealed record TallyIncremented(Guid TallyId, string By, DateTimeOffset At);

/// <summary>Finalizes a tally, which removes it.</summary>
public sealed record TallyClosed(Guid TallyId);

/// <summary>Makes the behaviour change the tally, then throw.</summary>
public sealed record TallyBroken(Guid TallyId);

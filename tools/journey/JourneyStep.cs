namespace OrdersMail.Journey;

/// <summary>One step that happened: its name, what it showed, and when, counted from the order being placed.</summary>
/// <param name="Name">What happened, as a person says it.</param>
/// <param name="Figure">The fact that proves it (a reference, an address, a state).</param>
/// <param name="Elapsed">Time since the journey started.</param>
public sealed record JourneyStep(string Name, string Figure, TimeSpan Elapsed);

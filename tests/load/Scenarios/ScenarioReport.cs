namespace OrdersMail.Load.Scenarios;

/// <summary>One measured figure of a scenario, beside its target when the issue sets one.</summary>
/// <param name="Scenario">The scenario that measured it.</param>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The measurement.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Target">The target as written (<c>≤ 10</c>), or null for a figure reported without one.</param>
/// <param name="Met">Whether the target was met; null without a target.</param>
public sealed record Figure(string Scenario, string Name, double Value, string Unit, string? Target, bool? Met);

/// <summary>One invariant checked at the end of a scenario.</summary>
/// <param name="Scenario">The scenario that checked it.</param>
/// <param name="Name">What must hold.</param>
/// <param name="Holds">Whether it held.</param>
/// <param name="Detail">What was seen: counts, and the first offenders when it did not hold.</param>
public sealed record Invariant(string Scenario, string Name, bool Holds, string Detail);

/// <summary>Everything the scenarios measured and checked, in the order they did it.</summary>
public sealed class ScenarioReport
{
    private readonly List<Figure> _figures = [];
    private readonly List<Invariant> _invariants = [];
    private readonly List<string> _notes = [];

    /// <summary>The figures so far.</summary>
    public IReadOnlyList<Figure> Figures => _figures;

    /// <summary>The invariants so far.</summary>
    public IReadOnlyList<Invariant> Invariants => _invariants;

    /// <summary>Context of the run: load average, sizes, what was started.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>True when every invariant checked held.</summary>
    public bool AllHold => _invariants.All(i => i.Holds);

    /// <summary>A figure with no target.</summary>
    public void Measured(string scenario, string name, double value, string unit) =>
        _figures.Add(new Figure(scenario, name, value, unit, null, null));

    /// <summary>A figure that must stay at or below <paramref name="atMost"/>.</summary>
    public void AtMost(string scenario, string name, double value, string unit, double atMost) =>
        _figures.Add(new Figure(scenario, name, value, unit, $"≤ {atMost:0.##}", value <= atMost));

    /// <summary>A figure that must reach <paramref name="atLeast"/>.</summary>
    public void AtLeast(string scenario, string name, double value, string unit, double atLeast) =>
        _figures.Add(new Figure(scenario, name, value, unit, $"≥ {atLeast:0.##}", value >= atLeast));

    /// <summary>Records an invariant's result.</summary>
    public void Check(string scenario, string name, bool holds, string detail) =>
        _invariants.Add(new Invariant(scenario, name, holds, detail));

    /// <summary>Records context worth printing with the table.</summary>
    public void Note(string note) => _notes.Add(note);
}

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>A bookkeeping table of a building block, and which of its rows the <see cref="RetentionSweep"/> may delete.</summary>
/// <param name="Table">The table, in the service's schema.</param>
/// <param name="Condition">A SQL condition on its rows, past retention when <c>@before</c> (a timestamptz) is after their time.</param>
/// <param name="KeepFor">How long its rows are kept when not the service's <see cref="RetentionOptions.KeepFor"/>.</param>
public sealed record RetentionTarget(string Table, string Condition, TimeSpan? KeepFor = null);

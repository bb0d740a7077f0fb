using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrdersMail.Load.Scenarios;

/// <summary>Prints the report as a table on the console and writes it as JSON.</summary>
public static class ReportPrinter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The table of figures (scenario, figure, value, target, met?), then each invariant and the notes.</summary>
    public static string Table(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Figures.Select(f => new[]
        {
            f.Scenario,
            f.Name,
            double.IsFinite(f.Value) ? string.Create(CultureInfo.InvariantCulture, $"{f.Value:0.##} {f.Unit}") : "none measured",
            f.Target is null ? "-" : $"{f.Target} {f.Unit}",
            f.Met switch { true => "yes", false => "NO", null => "-" },
        }).ToList();
        var header = new[] { "scenario", "figure", "value", "target", "met?" };
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Row(string[] cells) => text.AppendLine(string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Row(header);
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        rows.ForEach(Row);
        text.AppendLine();
        foreach (var invariant in report.Invariants)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[{(invariant.Holds ? "holds" : "BROKEN")}] {invariant.Scenario}: {invariant.Name} ({invariant.Detail})");
        }

        foreach (var note in report.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note: {note}");
        }

        return text.ToString();
    }

    /// <summary>Writes the report to <paramref name="path"/> as JSON.</summary>
    public static async Task WriteJsonAsync(ScenarioReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        await File.WriteAllTextAsync(path, Json(report));
    }

    /// <summary>
    /// The report as JSON. A figure nothing was measured for (a percentile of no samples: every order of a storm
    /// failed to arrive) has the value null: JSON has no NaN, and the report of such a run is the one most needed.
    /// </summary>
    public static string Json(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = report.Figures.Select(f => new { f.Scenario, f.Name, Value = double.IsFinite(f.Value) ? f.Value : (double?)null, f.Unit, f.Target, f.Met });
        return JsonSerializer.Serialize(new { figures, report.Invariants, report.Notes, all_invariants_hold = report.AllHold }, JsonOptions);
    }
}

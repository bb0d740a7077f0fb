using System.Text.Json.Nodes;
using OrdersMail.Load.Scenarios;

namespace OrdersMail.EndToEnd.Tests.LoadTool;

/// <summary>
/// The load tool's report when a figure had nothing to measure (every order of a storm failed to get its confirmation,
/// so its latency percentiles have no samples): the table says so and the JSON is still written, the value null.
/// Before, the JSON writer threw on the NaN and the run ended without its report.
/// </summary>
public sealed class ReportPrinter_Specs
{
    [Fact]
    public void When_a_figure_has_no_samples_Should_print_none_measured_and_write_null()
    {
        var report = new ScenarioReport();
        report.Measured("order-storm", "POST → confirmation delivered p50", double.NaN, "ms");
        report.Measured("order-storm", "orders completed", 0, "orders/s");
        report.Check("order-storm", "every order ready and its confirmation delivered", false, "0 of 40");

        var table = ReportPrinter.Table(report);
        var json = JsonNode.Parse(ReportPrinter.Json(report))!;

        Assert.Contains("none measured", table, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", table, StringComparison.Ordinal);
        var figures = json["figures"]!.AsArray();
        Assert.Null(figures[0]!["value"]);
        Assert.Equal(0, figures[1]!["value"]!.GetValue<double>());
        Assert.False(json["all_invariants_hold"]!.GetValue<bool>());
    }
}

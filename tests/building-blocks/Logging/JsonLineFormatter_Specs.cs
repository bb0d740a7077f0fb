using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using OrdersMail.BuildingBlocks.Logging;

namespace OrdersMail.BuildingBlocks.Tests.Logging;

public sealed class JsonLineFormatter_Specs
{
    [Fact]
    public void When_logging_inside_a_trace_Should_write_one_json_line_with_the_trace_and_span_ids()
    {
        using var activity = new Activity("spec").SetIdFormat(ActivityIdFormat.W3C).Start();

        var line = Write(LogLevel.Warning, "Order {OrderRef} is late", ("OrderRef", "ORD-7K3Q9X"));

        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(activity.TraceId.ToHexString(), root.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), root.GetProperty("span_id").GetString());
        Assert.Equal("warn", root.GetProperty("level").GetString());
        Assert.Equal("spec-service", root.GetProperty("service").GetString());
        Assert.Equal("Order ORD-7K3Q9X is late", root.GetProperty("message").GetString());
        Assert.Equal("ORD-7K3Q9X", root.GetProperty("attributes").GetProperty("OrderRef").GetString());
    }

    [Fact]
    public void When_logging_outside_any_trace_Should_leave_the_trace_id_out()
    {
        Activity.Current = null;

        var line = Write(LogLevel.Information, "Started");

        using var json = JsonDocument.Parse(line);
        Assert.False(json.RootElement.TryGetProperty("trace_id", out _));
        Assert.False(json.RootElement.TryGetProperty("attributes", out _));
    }

    [Fact]
    public void Should_keep_a_multi_line_exception_on_its_one_line()
    {
        var line = Write(LogLevel.Error, "Failed", exception: new InvalidOperationException("first\nsecond"));

        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Contains("first\nsecond", json.RootElement.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    private static string Write(LogLevel level, string template, (string Key, object? Value)? value = null, Exception? exception = null)
    {
        using var services = new ServiceCollection()
            .AddLogging(b => b.AddConsoleFormatter<JsonLineFormatter, JsonLineFormatterOptions>(o => o.ServiceName = "spec-service"))
            .BuildServiceProvider();
        var formatter = services.GetServices<ConsoleFormatter>().OfType<JsonLineFormatter>().Single();

        var state = new List<KeyValuePair<string, object?>>();
        var message = template;
        if (value is { } v)
        {
            state.Add(new(v.Key, v.Value));
            message = template.Replace("{" + v.Key + "}", v.Value?.ToString(), StringComparison.Ordinal);
        }

        state.Add(new("{OriginalFormat}", template));
        using var output = new StringWriter();
        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(level, "Spec", default, state, exception, (_, _) => message), null, output);
        return output.ToString();
    }
}

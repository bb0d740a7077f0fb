using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Logging;

/// <summary>Structured console logs: one JSON line per entry with the trace id (see <see cref="JsonLineFormatter"/>).</summary>
public static class LoggingExtensions
{
    internal static void AddStructuredLogging(this IHostApplicationBuilder builder, ServiceInfo service)
    {
        builder.Logging.ClearProviders();
        builder.Logging
            .AddConsole(o => o.FormatterName = JsonLineFormatter.FormatterName)
            .AddConsoleFormatter<JsonLineFormatter, JsonLineFormatterOptions>(o => o.ServiceName = service.Name);
    }
}

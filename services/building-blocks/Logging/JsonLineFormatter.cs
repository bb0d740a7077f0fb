using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.Logging;

/// <summary>
/// One JSON object per line: time, level, service, category, message, the message template's named values,
/// and the current trace and span ids, so every line written while handling a request or a message can be
/// joined to its trace (and to the other services' lines of the same trace).
/// </summary>
/// <remarks>
/// The console logger calls formatters on the logging thread, so <see cref="Activity.Current"/> is the
/// activity of the code that logged.
/// </remarks>
public sealed class JsonLineFormatter(IOptionsMonitor<JsonLineFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    /// <summary>The name the console logger knows this formatter by.</summary>
    public const string FormatterName = "ordersmail-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow);
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("service", options.CurrentValue.ServiceName);
            json.WriteString("category", logEntry.Category);
            json.WriteString("message", message);

            var activity = Activity.Current;
            if (activity is not null)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("event_id", logEntry.EventId.Id);
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values && values.Count > 1)
            {
                json.WriteStartObject("attributes");
                foreach (var (key, value) in values)
                {
                    if (key != "{OriginalFormat}")
                    {
                        json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                json.WriteEndObject();
            }

            if (logEntry.Exception is not null)
            {
                json.WriteString("exception", logEntry.Exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };
}

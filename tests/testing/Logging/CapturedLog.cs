using Microsoft.Extensions.Logging;

namespace OrdersMail.Testing.Logging;

/// <summary>
/// One record <see cref="CapturedLogs"/> kept: its level, its logger's category, its formatted message and the trace
/// of the span current when it was written (the trace id an exporter would give the line), or null outside a trace.
/// </summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message, string? TraceId);

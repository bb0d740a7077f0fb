using Microsoft.Extensions.Logging;

namespace OrdersMail.Testing.Logging;

/// <summary>One record <see cref="CapturedLogs"/> kept: its level, its logger's category and its formatted message.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message);

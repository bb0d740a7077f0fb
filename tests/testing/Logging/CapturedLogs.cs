using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OrdersMail.Testing.Logging;

/// <summary>A logger provider that keeps every formatted log line, to check what the client logs (and never logs).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<CapturedLog> _records = new();

    /// <summary>The lines logged so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The records logged so far, with their level and category, to count what one part of a host logged.</summary>
    public IReadOnlyList<CapturedLog> Records => [.. _records];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            logs._lines.Enqueue($"{logLevel}: {message}");
            logs._records.Enqueue(new CapturedLog(logLevel, category, message, Activity.Current?.TraceId.ToString()));
        }
    }
}

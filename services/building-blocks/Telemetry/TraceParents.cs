using System.Diagnostics;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// W3C <c>traceparent</c> strings, the form a trace context takes where it has to be stored (an outbox row, an
/// outbox file, a table) rather than carried by an HTTP header or a bus message.
/// </summary>
public static class TraceParents
{
    /// <summary>The current span as a <c>traceparent</c>, or null outside a trace.</summary>
    public static string? Current() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The context <paramref name="traceParent"/> names, or <c>default</c> (a new trace) when it is absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is { Length: > 0 } && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>A span link to <paramref name="traceParent"/>, for work caused by that trace but not part of it; none when it does not parse.</summary>
    public static IEnumerable<ActivityLink> LinkTo(string? traceParent) =>
        Parse(traceParent) is { TraceId: var traceId } context && traceId != default ? [new ActivityLink(context)] : [];
}

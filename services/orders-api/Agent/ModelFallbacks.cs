using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Counts the replies the rule-based composer wrote in the model's place (<c>ordersmail.agent.model.fallbacks</c>), by
/// why: a singleton, as the model's composer is made for each reply.
/// </summary>
public sealed class ModelFallbacks(ServiceTelemetry telemetry)
{
    /// <summary>The counter's name.</summary>
    public const string Metric = "ordersmail.agent.model.fallbacks";

    /// <summary>The reason of a call that failed, timed out or answered nothing.</summary>
    public const string Failed = "failed";

    /// <summary>The reason of an answer the model stopped at <see cref="ChatCompletionsOptions.MaxTokens"/>, mid-reply.</summary>
    public const string Cut = "cut";

    private readonly Counter<long> _fallbacks = telemetry.Meter.CreateCounter<long>(
        Metric, "{reply}", "Agent replies the rule-based composer wrote instead of the model: its call failed, its answer was cut or failed a check.");

    /// <summary>Counts one fallback for <paramref name="reason"/>: <see cref="Failed"/>, <see cref="Cut"/> or a <see cref="ModelReplyCheck"/> rule.</summary>
    public void Add(string reason) => _fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

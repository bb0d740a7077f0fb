using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The messages in the broker's <c>_error</c> queues: those a consumer gave up on after its retries, work that nothing
/// will do unless a person moves it back. A run may leave none behind that it did not find.
/// </summary>
public static class DeadLetters
{
    /// <summary>The scenario name its invariant is reported under: it spans every scenario of the run.</summary>
    public const string Name = "every scenario";

    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Messages per <c>_error</c> queue of the system's virtual host (test classes running beside it have vhosts of
    /// their own); null when the broker's management API does not answer, or has not counted every such queue yet.
    /// Just after the broker starts, its management API lists a queue without its message count for about 20 s;
    /// read as 0, a message dead-lettered long before the run would count as dead-lettered during it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>?> CountAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var vhost = Uri.EscapeDataString(context.System.RabbitMqVirtualHost);
                var queues = (await SideEffects.ManagementAsync(context, $"api/queues/{vhost}?columns=name,messages")).AsArray()
                    .OfType<JsonNode>()
                    .Where(q => q["name"]!.GetValue<string>().EndsWith("_error", StringComparison.Ordinal))
                    .ToList();
                if (queues.All(q => q["messages"] is not null))
                {
                    return queues.ToDictionary(q => q["name"]!.GetValue<string>(), q => q["messages"]!.GetValue<long>());
                }
            }
            catch (HttpRequestException)
            {
                return null;
            }

            if (clock.Elapsed > CountTimeout)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Checks that no <c>_error</c> queue holds more than at <paramref name="before"/>, naming those that do.</summary>
    public static async Task CheckNoneAddedAsync(ScenarioContext context, IReadOnlyDictionary<string, long>? before, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string invariant = "no message dead-lettered (every _error queue as at the start)";
        if (before is null || await CountAsync(context) is not { } after)
        {
            // Broken, not noted: a run that cannot say it left no dead letter behind has not shown it.
            report.Check(Name, invariant, false, "not checked: RabbitMQ's management API did not answer, or did not count every _error queue within a minute, at the start or the end of the run");
            return;
        }

        CheckNoneGrew(report, invariant, before, after, "_error queues");
    }

    /// <summary>
    /// Reports <paramref name="invariant"/> (spanning the run) as holding when no count in <paramref name="after"/> is
    /// above the one in <paramref name="before"/>, and otherwise names those that grew and by how much.
    /// </summary>
    internal static void CheckNoneGrew(
        ScenarioReport report, string invariant, IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, string counted)
    {
        var added = after.Select(c => (c.Key, Added: c.Value - before.GetValueOrDefault(c.Key))).Where(c => c.Added > 0).ToList();
        report.Check(Name, invariant, added.Count == 0,
            added.Count == 0 ? $"{after.Count} {counted}" : string.Join(", ", added.Select(c => $"{c.Key}: +{c.Added}")));
    }
}

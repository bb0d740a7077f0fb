using System.Globalization;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// 429: the caller has placed as many orders as <see cref="PlacementLimitOptions"/> allows for now. <c>Retry-After</c> and
/// the problem say when one more is taken (the counted order that leaves the window first), and the problem names the limit.
/// </summary>
/// <param name="reached">The limit, and how long until it frees a place.</param>
public sealed class TooManyOrdersProblem(PlacementLimitReached reached) : StatusProblem<TooManyOrdersProblem>(
    "Too many orders.",
    string.Create(
        CultureInfo.InvariantCulture,
        $"At most {reached.MaxOrders} orders may be placed within {Describe(reached.Window)} ({PlacementLimitOptions.Section}:{reached.Setting}). Nothing was placed; place the order again after {SecondsOf(reached)} seconds."),
    new Dictionary<string, object?>
    {
        ["limit"] = reached.Setting,
        ["max_orders"] = reached.MaxOrders,
        ["window_seconds"] = (long)reached.Window.TotalSeconds,
        ["retry_after_seconds"] = SecondsOf(reached),
    }), IProblemStatus
{
    private readonly string _retryAfter = SecondsOf(reached).ToString(CultureInfo.InvariantCulture);

    static int IProblemStatus.Status => StatusCodes.Status429TooManyRequests;

    /// <summary>Whole seconds, rounded up so a client waiting them finds the place free, and at least 1.</summary>
    public static long SecondsOf(PlacementLimitReached reached)
    {
        ArgumentNullException.ThrowIfNull(reached);
        return Math.Max(1, (long)Math.Ceiling(reached.RetryAfter.TotalSeconds));
    }

    /// <inheritdoc />
    protected override void AddHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.RetryAfter = _retryAfter;
    }

    private static string Describe(TimeSpan window) => window == PlacementLimitOptions.Minute ? "a minute" : "a day";
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// A list route's <c>limit</c>, taken as the query's text rather than bound as a number, so that one that does not
/// parse is answered with a problem that says what a limit must be, not with the framework's bare 400.
/// </summary>
public static class ListLimit
{
    /// <summary>
    /// True when <paramref name="text"/> is absent (<paramref name="limit"/> is then <paramref name="fallback"/>) or a
    /// whole number from 1 to <paramref name="max"/>, in plain digits.
    /// </summary>
    public static bool TryRead(string? text, int fallback, int max, out int limit)
    {
        limit = fallback;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max);
    }

    /// <summary>What a limit must be, for the problem that refuses one: <c>must be a whole number from 1 to {max}</c>.</summary>
    public static string Rule(int max) => string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 to {max}");

    /// <summary>The 400 problem that refuses a limit, saying what one must be.</summary>
    public static ProblemHttpResult Refused(int max) =>
        TypedResults.Problem($"limit {Rule(max)}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");

    /// <summary>
    /// Answers an ops list route: the first items <paramref name="list"/> gives for the limit <paramref name="text"/>
    /// names (<paramref name="fallback"/> when absent), or a 400 problem saying what a limit must be.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<T>>, ProblemHttpResult>> ListAsync<T>(
        string? text, int fallback, int max, Func<int, Task<IReadOnlyList<T>>> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (!TryRead(text, fallback, max, out var limit))
        {
            return Refused(max);
        }

        return TypedResults.Ok(await list(limit));
    }
}

using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Paging;

/// <summary>The page a keyset list route is asked for, from its <c>limit</c> and <c>cursor</c> query parameters.</summary>
/// <param name="Limit">How many, 1 to the route's largest page.</param>
/// <param name="After">Continue after this position; null for the first page.</param>
public sealed record PageRequest(int Limit, PagePosition? After)
{
    /// <summary>
    /// The page asked for: <paramref name="limit"/> (<paramref name="defaultLimit"/> when absent) and <paramref name="cursor"/>
    /// (the first page when absent), which must be one <paramref name="cursors"/> wrote for <paramref name="scope"/>;
    /// null, with a problem per bad parameter keyed by its name, otherwise.
    /// </summary>
    public static PageRequest? Read(
        string? limit, string? cursor, int defaultLimit, int maxLimit, PageCursors cursors, CursorScope scope, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(cursors);
        errors = [];
        if (!ListLimit.TryRead(limit, defaultLimit, maxLimit, out var size))
        {
            errors["limit"] = [ListLimit.Rule(maxLimit)];
        }

        PagePosition? after = null;
        if (cursor is not null && !cursors.TryRead(cursor, scope, out after))
        {
            errors["cursor"] = ["must be a next_cursor this API returned"];
        }

        return errors.Count == 0 ? new PageRequest(size, after) : null;
    }
}

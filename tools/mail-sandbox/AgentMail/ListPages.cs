using System.Globalization;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail;

/// <summary>One page of a list, before it is shaped into the endpoint's body.</summary>
/// <typeparam name="T">What is listed.</typeparam>
/// <param name="Items">The page's items.</param>
/// <param name="Limit">The page size used.</param>
/// <param name="NextPageToken">The token of the next page; null on the last.</param>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Limit, string? NextPageToken);

/// <summary>
/// AgentMail's list query, <c>limit</c>, <c>page_token</c> and <c>ascending</c>, over items ordered by
/// <c>created_at</c>: newest first unless <c>ascending=true</c>. A malformed value is a 400 <c>ValidationError</c>.
/// </summary>
public static class ListPages
{
    /// <summary>The page of <paramref name="items"/> the request asks for, shaped by <paramref name="shape"/>, or a 400.</summary>
    /// <param name="request">The request, whose query is read.</param>
    /// <param name="items">Everything there is to list, in any order.</param>
    /// <param name="createdAt">The sort key.</param>
    /// <param name="id">A tie-breaker for equal creation times, so pages never overlap.</param>
    /// <param name="shape">The endpoint's response body for a page.</param>
    public static IResult Answer<T>(HttpRequest request, IEnumerable<T> items, Func<T, DateTimeOffset> createdAt, Func<T, string> id, Func<ListPage<T>, object> shape)
    {
        ArgumentNullException.ThrowIfNull(items);
        return AnswerOrdered(request, [.. items.OrderBy(createdAt).ThenBy(id, StringComparer.Ordinal)], shape);
    }

    /// <summary>
    /// As <see cref="Answer{T}"/>, for items already in order, oldest first (by creation, then id): a listing of every
    /// webhook or inbox, page after page, then sorts them once instead of once per page.
    /// </summary>
    public static IResult AnswerOrdered<T>(HttpRequest request, IReadOnlyList<T> oldestFirst, Func<ListPage<T>, object> shape)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(oldestFirst);
        ArgumentNullException.ThrowIfNull(shape);
        int? limit = null;
        if (request.Query["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return AgentMailError.Validation("limit must be an integer.", new ValidationIssue(["limit"], "Expected number, received string", "invalid_type"));
            }

            limit = parsed;
        }

        var ascending = false;
        if (request.Query["ascending"].ToString() is { Length: > 0 } ascendingText && !bool.TryParse(ascendingText, out ascending))
        {
            return AgentMailError.Validation("ascending must be true or false.", new ValidationIssue(["ascending"], "Expected boolean, received string", "invalid_type"));
        }

        var ordered = ascending ? oldestFirst : new NewestFirst<T>(oldestFirst);
        var pageToken = request.Query["page_token"].ToString();
        var (page, next, error) = Pagination.Page(ordered, limit, pageToken.Length > 0 ? pageToken : null);
        return error ?? Results.Json(shape(new ListPage<T>(page, limit ?? Pagination.DefaultLimit, next)), SandboxJson.Options);
    }

    // The oldest-first order read backwards: newest first, ties broken by the larger id, as AgentMail lists by default.
    private sealed class NewestFirst<T>(IReadOnlyList<T> oldestFirst) : IReadOnlyList<T>
    {
        public int Count => oldestFirst.Count;

        public T this[int index] => oldestFirst[oldestFirst.Count - 1 - index];

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = oldestFirst.Count - 1; i >= 0; i--)
            {
                yield return oldestFirst[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

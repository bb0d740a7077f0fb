using System.Globalization;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// The query of <c>GET …/messages</c>. Array parameters (<c>labels</c>, <c>from</c>, <c>to</c>, <c>subject</c>)
/// come as repeated keys or one JSON-encoded array, and every value given must match; <c>before</c> and
/// <c>after</c> are exclusive bounds on <c>timestamp</c>. Parsed by hand so bad values get AgentMail's 400.
/// </summary>
public sealed record MessageListQuery
{
    /// <summary>Page size.</summary>
    public int? Limit { get; init; }

    /// <summary>The cursor of the page asked for.</summary>
    public string? PageToken { get; init; }

    /// <summary>Labels a message must all carry.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Substrings of <c>from</c> that must all occur.</summary>
    public IReadOnlyList<string> From { get; init; } = [];

    /// <summary>Substrings each of which some <c>to</c> address must contain.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>Substrings of the subject that must all occur.</summary>
    public IReadOnlyList<string> Subject { get; init; } = [];

    /// <summary>Only messages sent before this.</summary>
    public DateTimeOffset? Before { get; init; }

    /// <summary>Only messages sent after this.</summary>
    public DateTimeOffset? After { get; init; }

    /// <summary>Oldest first instead of newest first.</summary>
    public bool Ascending { get; init; }

    /// <summary>Whether mail whose sender failed authentication is listed (<c>include_unauthenticated</c>).</summary>
    public bool IncludeUnauthenticated { get; init; }

    /// <summary>Whether mail AgentMail marked as spam is listed (<c>include_spam</c>).</summary>
    public bool IncludeSpam { get; init; }

    /// <summary>The query of <paramref name="request"/>, or a 400 naming the bad parameter.</summary>
    public static (MessageListQuery? Query, IResult? Error) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        int? limit = null;
        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Bad("limit", "Expected an integer");
            }

            limit = parsed;
        }

        var ascending = false;
        if (query.TryGetValue("ascending", out var ascendingText) && !bool.TryParse(ascendingText, out ascending))
        {
            return Bad("ascending", "Expected true or false");
        }

        var includeUnauthenticated = false;
        if (query.TryGetValue("include_unauthenticated", out var includeText) && !bool.TryParse(includeText, out includeUnauthenticated))
        {
            return Bad("include_unauthenticated", "Expected true or false");
        }

        var includeSpam = false;
        if (query.TryGetValue("include_spam", out var spamText) && !bool.TryParse(spamText, out includeSpam))
        {
            return Bad("include_spam", "Expected true or false");
        }

        var (before, beforeBad) = Date(request, "before");
        var (after, afterBad) = Date(request, "after");
        if (beforeBad || afterBad)
        {
            return Bad(beforeBad ? "before" : "after", "Expected an ISO-8601 date-time");
        }

        var labels = QueryArrays.Read(request, "labels");
        var from = QueryArrays.Read(request, "from");
        var to = QueryArrays.Read(request, "to");
        var subject = QueryArrays.Read(request, "subject");
        if (labels is null || from is null || to is null || subject is null)
        {
            return Bad(labels is null ? "labels" : from is null ? "from" : to is null ? "to" : "subject", "Expected an array of strings");
        }

        var pageToken = query.TryGetValue("page_token", out var token) ? token.ToString() : null;
        return (new MessageListQuery
        {
            Limit = limit,
            PageToken = pageToken,
            Labels = labels,
            From = from,
            To = to,
            Subject = subject,
            Before = before,
            After = after,
            Ascending = ascending,
            IncludeUnauthenticated = includeUnauthenticated,
            IncludeSpam = includeSpam,
        }, null);
    }

    /// <summary>The messages that match, ordered by <c>timestamp</c> (newest first unless <see cref="Ascending"/>).</summary>
    public IReadOnlyList<StoredMessage> Apply(IEnumerable<StoredMessage> messages)
    {
        var matching = messages.Where(m =>
            (IncludeUnauthenticated || !m.Labels.Contains(MessageLabels.Unauthenticated)) &&
            (IncludeSpam || !m.Labels.Contains(MessageLabels.Spam)) &&
            Labels.All(m.Labels.Contains) &&
            From.All(f => m.From.Contains(f, StringComparison.OrdinalIgnoreCase)) &&
            To.All(t => m.To.Any(address => address.Contains(t, StringComparison.OrdinalIgnoreCase))) &&
            Subject.All(s => m.Subject?.Contains(s, StringComparison.OrdinalIgnoreCase) == true) &&
            (Before is null || m.Timestamp < Before) &&
            (After is null || m.Timestamp > After));
        var ordered = Ascending
            ? matching.OrderBy(m => m.Timestamp).ThenBy(m => m.MessageId, StringComparer.Ordinal)
            : matching.OrderByDescending(m => m.Timestamp).ThenByDescending(m => m.MessageId, StringComparer.Ordinal);
        return [.. ordered];
    }

    private static (DateTimeOffset? Value, bool Bad) Date(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var text))
        {
            return (null, false);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? (value, false)
            : (null, true);
    }

    private static (MessageListQuery? Query, IResult? Error) Bad(string parameter, string problem) =>
        (null, AgentMailError.Validation($"Invalid {parameter}.", new ValidationIssue([parameter], problem, "invalid_type")));
}

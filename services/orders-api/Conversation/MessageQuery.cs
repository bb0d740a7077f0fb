using System.Diagnostics.CodeAnalysis;
using Microsoft.OpenApi;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>What <c>GET /api/orders/{id}/messages</c> asks for: its filters and which page, from the query string.</summary>
/// <param name="Limit">Messages per page, 1 to <see cref="MaxLimit"/>.</param>
/// <param name="After">Continue after this message; null for the first page.</param>
/// <param name="Text">Only messages whose subject, preview or sender contains it, ignoring case.</param>
/// <param name="Label">Only messages with this label.</param>
/// <param name="IsRead">Only read (true) or unread (false) messages; null for both.</param>
/// <param name="IncludeArchived">Archived messages are hidden unless this is true.</param>
/// <param name="VerifiedOnly">Only messages from the order's own address.</param>
public sealed record MessageQuery(
    int Limit,
    PagePosition? After,
    string? Text,
    string? Label,
    bool? IsRead,
    bool IncludeArchived,
    bool VerifiedOnly)
{
    /// <summary>The page size when <c>limit</c> is not given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>The query parameters <see cref="TryParse"/> reads, each optional, as the OpenAPI document lists them.</summary>
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        .. PageParameters.Of("Messages", DefaultLimit, MaxLimit),
        new("q", JsonSchemaType.String, "Only messages whose subject, preview or sender contains this text, ignoring case."),
        new("label", JsonSchemaType.String, "Only messages with this label."),
        new("is_read", JsonSchemaType.Boolean, "Only read (true) or unread (false) messages; both when left out."),
        new("include_archived", JsonSchemaType.Boolean, "Archived messages too when true; hidden when left out."),
        new("verified_only", JsonSchemaType.Boolean, "Only messages from the order's own address when true."),
    ];

    /// <summary>
    /// Reads the query string; false with one entry per bad parameter (keyed by its name) otherwise. A parameter that is
    /// present must make sense: <c>q=</c> with nothing to search for is a mistake worth telling, not "no filter". The
    /// cursor must be one <paramref name="cursors"/> wrote for <paramref name="scope"/>: this order's list, this caller.
    /// </summary>
    public static bool TryParse(
        HttpRequest request, PageCursors cursors, CursorScope scope, [NotNullWhen(true)] out MessageQuery? parsed, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cursors);
        errors = [];
        var limit = Parse(request, errors, "limit", DefaultLimit, TryParseLimit, $"limit {ListLimit.Rule(MaxLimit)}.");
        var after = Parse<PagePosition?>(
            request, errors, "cursor", null, (string value, out PagePosition? position) => cursors.TryRead(value, scope, out position), "cursor must be a next_cursor this endpoint returned.");
        var text = Parse<string?>(request, errors, "q", null, TryParseText, "q must not be empty or only whitespace: leave it out to list every message.");
        var label = Parse<string?>(request, errors, "label", null, TryParseText, "label must not be empty or only whitespace: leave it out to list every message.");
        var isRead = Parse<bool?>(request, errors, "is_read", null, TryParseNullableBool, "is_read must be true or false.");
        var includeArchived = Parse(request, errors, "include_archived", false, bool.TryParse, "include_archived must be true or false.");
        var verifiedOnly = Parse(request, errors, "verified_only", false, bool.TryParse, "verified_only must be true or false.");

        parsed = errors.Count == 0 ? new MessageQuery(limit, after, text, label, isRead, includeArchived, verifiedOnly) : null;
        return parsed is not null;
    }

    private delegate bool ValueParser<T>(string value, out T result);

    private static T Parse<T>(HttpRequest request, Dictionary<string, string[]> errors, string name, T absent, ValueParser<T> parse, string problem)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return absent;
        }

        if (values.Count != 1)
        {
            errors[name] = [$"{name} must be given at most once."];
            return absent;
        }

        // No parameter may carry text a body may not, whatever it is for: PostgreSQL refuses NUL, and an escape that is not
        // UTF-8 would be read as the escape's own text (a label "%FF" for %FF).
        if (QueryText.Problem(request, name) is { } textProblem)
        {
            errors[name] = [$"{name} {textProblem}."];
            return absent;
        }

        if (parse(values.ToString(), out var value))
        {
            return value;
        }

        errors[name] = [problem];
        return absent;
    }

    private static bool TryParseLimit(string value, out int limit) => ListLimit.TryRead(value, DefaultLimit, MaxLimit, out limit);

    private static bool TryParseText(string value, out string? text)
    {
        text = string.IsNullOrWhiteSpace(value) ? null : value;
        return text is not null;
    }

    private static bool TryParseNullableBool(string value, out bool? result)
    {
        result = bool.TryParse(value, out var parsed) ? parsed : null;
        return result is not null;
    }
}

using System.Globalization;
using System.Text;

namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// Cursor pages as AgentMail serves them: <c>limit</c>, an opaque <c>page_token</c>, and a
/// <c>next_page_token</c> only when more follow. A token the sandbox did not issue is a 400.
/// </summary>
public static class Pagination
{
    /// <summary>The page size when no <c>limit</c> is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>Cuts one page out of <paramref name="ordered"/>; the error is an AgentMail 400 when limit or token is bad.</summary>
    public static (IReadOnlyList<T> Items, string? NextPageToken, IResult? Error) Page<T>(IReadOnlyList<T> ordered, int? limit, string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        if (limit is < 1 or > MaxLimit)
        {
            return ([], null, AgentMailError.Validation($"limit must be between 1 and {MaxLimit}.", new ValidationIssue(["limit"], $"Number must be between 1 and {MaxLimit}", "too_big")));
        }

        var offset = 0;
        if (pageToken is not null && !TryDecode(pageToken, out offset))
        {
            return ([], null, AgentMailError.Validation("Invalid page_token.", new ValidationIssue(["page_token"], "Invalid page token", "invalid_string")));
        }

        var size = limit ?? DefaultLimit;
        var items = ordered.Skip(offset).Take(size).ToList();
        var next = offset + size < ordered.Count ? Encode(offset + size) : null;
        return (items, next, null);
    }

    private static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"sandbox-page:{offset.ToString(CultureInfo.InvariantCulture)}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string token, out int offset)
    {
        offset = 0;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            return text.StartsWith("sandbox-page:", StringComparison.Ordinal)
                && int.TryParse(text["sandbox-page:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

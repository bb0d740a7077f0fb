using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// Finds the query parameter text that <see cref="TextCheck"/> refuses in a body. ASP.NET decodes an escape that is not
/// UTF-8 (<c>%FF</c>, or <c>%ED%A0%80</c>, a lone surrogate) to the escape's own text, just as it decodes <c>%25FF</c>,
/// so the decoded value cannot tell them apart: only the query string as it was sent can.
/// </summary>
public static class QueryText
{
    /// <summary>The problem with the text of parameter <paramref name="name"/>, or null when it is absent or can be taken.</summary>
    public static string? Problem(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var parameter in new QueryStringEnumerable(request.QueryString.Value))
        {
            // Names are matched as ASP.NET matches them in Request.Query: decoded, ignoring case.
            if (parameter.DecodeName().Span.Equals(name, StringComparison.OrdinalIgnoreCase) && !IsUtf8(parameter.EncodedValue.Span))
            {
                return TextCheck.InvalidText;
            }
        }

        return TextCheck.Problem(request.Query[name].ToString());
    }

    /// <summary>
    /// The 400 problem that refuses parameter <paramref name="name"/> for its text, or null when it is absent or can be
    /// taken: for a route that reads a parameter as text, where the escape's own text would be looked up as if sent.
    /// </summary>
    public static ProblemHttpResult? Refused(HttpRequest request, string name) =>
        Problem(request, name) is { } problem
            ? TypedResults.Problem($"{name} {problem}.", statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {name}")
            : null;

    // The value's bytes, its escapes undone, are valid UTF-8; .NET counts an encoded surrogate as invalid, as it must.
    private static bool IsUtf8(ReadOnlySpan<char> encoded)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(encoded.Length)];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                bytes[length++] = escaped;
                i += 2;
            }
            else
            {
                length += Encoding.UTF8.GetBytes(encoded.Slice(i, 1), bytes.AsSpan(length));
            }
        }

        return Utf8.IsValid(bytes.AsSpan(0, length));
    }
}

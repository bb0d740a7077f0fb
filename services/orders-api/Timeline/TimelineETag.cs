using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// The timeline answer's entity tag, so the page's polls cost a 304 with no body while nothing changed. It is a hash of
/// the answer as written, less <c>generated_at</c> (new in every answer): anything the answer shows changes it, where a
/// version kept from the rows' times would have to follow every table the answer reads. The database is asked every
/// poll all the same; the tag spares the link and the page, not the query.
/// </summary>
internal static class TimelineETag
{
    /// <summary>The tag of <paramref name="view"/> written with <paramref name="options"/>, the API's own JSON options.</summary>
    public static EntityTagHeaderValue Of(OrderTimelineView view, JsonSerializerOptions options)
    {
        using var sha256 = SHA256.Create();

        // Hashed as it is written, never held whole: an answer may be a megabyte.
        using (var hashing = new CryptoStream(Stream.Null, sha256, CryptoStreamMode.Write))
        {
            JsonSerializer.Serialize(hashing, view with { GeneratedAt = default }, options);
        }

        return new EntityTagHeaderValue($"\"{Base64Url.EncodeToString(sha256.Hash)}\"");
    }

    /// <summary>
    /// Whether the request's <c>If-None-Match</c> names <paramref name="tag"/> (or is <c>*</c>), compared weakly as RFC 9110
    /// §13.1.2 has it: a proxy that compressed the answer may have marked the tag weak.
    /// </summary>
    public static bool IsKnownTo(HttpRequest request, EntityTagHeaderValue tag) =>
        request.GetTypedHeaders().IfNoneMatch.Any(known => known.Equals(EntityTagHeaderValue.Any) || known.Compare(tag, useStrongComparison: false));
}

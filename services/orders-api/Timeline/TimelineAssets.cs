using System.Collections.Frozen;
using System.Text;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// The timeline page's files, embedded in the assembly (<c>Timeline/Assets</c>): the page itself, its stylesheet and script,
/// and the pages for "no such order", "not signed in" and "busy, trying again". Read once at start; nothing in them comes from a request.
/// </summary>
public sealed class TimelineAssets
{
    /// <summary>The page's shell; its script reads the order id from the URL and fetches the rest.</summary>
    public const string Page = "timeline.html";

    /// <summary>What another user's order, or an unknown one, shows.</summary>
    public const string NotFoundPage = "not-found.html";

    /// <summary>What a request without a valid session shows.</summary>
    public const string SignedOutPage = "signed-out.html";

    /// <summary>What the page shows while the database cannot say whose the order is (<see cref="Timeline.BusyPage"/>).</summary>
    public const string BusyPage = "busy.html";

    private const string ResourcePrefix = "timeline-assets/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, TimelineAsset> _files;

    /// <summary>Loads every embedded asset.</summary>
    public TimelineAssets()
    {
        var assembly = typeof(TimelineAssets).Assembly;
        _files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(
                n => n[ResourcePrefix.Length..],
                n =>
                {
                    using var stream = assembly.GetManifestResourceStream(n)!;
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    return new TimelineAsset(reader.ReadToEnd(), ContentTypes[Path.GetExtension(n)]);
                },
                StringComparer.Ordinal);
    }

    /// <summary>The stylesheet and the script, by the name the pages link them with.</summary>
    public TimelineAsset? Public(string name) => name is "timeline.css" or "timeline.js" ? _files.GetValueOrDefault(name) : null;

    /// <summary>One of the pages (<see cref="Page"/>, <see cref="NotFoundPage"/>, <see cref="SignedOutPage"/>, <see cref="BusyPage"/>).</summary>
    public TimelineAsset PageNamed(string name) => _files[name];
}

/// <summary>One embedded file and the Content-Type it is served with.</summary>
public sealed record TimelineAsset(string Text, string ContentType);

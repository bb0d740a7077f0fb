using System.Text.Json;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Http;

/// <summary>What reading a JSON body came to: the document, or why there is none. Dispose it to return the document's memory.</summary>
public sealed class JsonBodyRead : IDisposable
{
    private JsonBodyRead(JsonDocument? document, PayloadTooLargeProblem? tooLarge, string? notJson, Dictionary<string, string[]>? badText)
    {
        Document = document;
        TooLarge = tooLarge;
        NotJson = notJson;
        BadText = badText;
    }

    /// <summary>The body, when it is JSON whose every piece of text can be taken.</summary>
    public JsonDocument? Document { get; }

    /// <summary>The answer when the body is over the limit.</summary>
    public PayloadTooLargeProblem? TooLarge { get; }

    /// <summary>Why the body is not JSON (empty, malformed, nested too deep, cut short), when it is not.</summary>
    public string? NotJson { get; }

    /// <summary>The text that cannot be taken, by path (see <see cref="TextCheck"/>).</summary>
    public Dictionary<string, string[]>? BadText { get; }

    /// <summary>The body's root when it is a JSON object; null otherwise.</summary>
    public JsonElement? RootObject => Document?.RootElement.ValueKind == JsonValueKind.Object ? Document.RootElement : null;

    internal static JsonBodyRead Read(JsonDocument document)
    {
        var badText = TextCheck.Check(document.RootElement);
        if (badText.Count == 0)
        {
            return new JsonBodyRead(document, null, null, null);
        }

        document.Dispose();
        return new JsonBodyRead(null, null, null, badText);
    }

    internal static JsonBodyRead OverLimit(long maxBytes) => new(null, new PayloadTooLargeProblem(maxBytes), null, null);

    internal static JsonBodyRead Malformed(string why) => new(null, null, why, null);

    /// <inheritdoc />
    public void Dispose() => Document?.Dispose();
}

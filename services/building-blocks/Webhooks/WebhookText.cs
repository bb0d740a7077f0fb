using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Webhooks;

/// <summary>
/// Reads a string of a webhook body as text. Any provider's body may hold a string no .NET string can: the parser
/// does not check that an escaped surrogate is paired (<c>"\ud83d"</c>, what a JavaScript sender writes when it cuts a
/// message inside an emoji) or that raw bytes inside a string are UTF-8, and reading either as text throws, which a
/// webhook endpoint would answer with a 500 and the provider retry for a day.
/// </summary>
public static class WebhookText
{
    /// <summary>The text of <paramref name="value"/>; null when it is not a string or holds text no string can.</summary>
    public static string? Of(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

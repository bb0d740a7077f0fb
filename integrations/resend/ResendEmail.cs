using System.Text.Json.Serialization;

namespace OrdersMail.Integrations.Resend;

/// <summary>The body of <c>POST /emails</c> (docs/resend.md §1), as far as OrdersMail uses it: plain text, no templates.</summary>
public sealed record ResendEmail
{
    /// <summary>The sender, <c>Name &lt;a@b.com&gt;</c> or bare.</summary>
    [JsonPropertyName("from")]
    public required string From { get; init; }

    /// <summary>The recipients (at most 50).</summary>
    [JsonPropertyName("to")]
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>The subject line.</summary>
    [JsonPropertyName("subject")]
    public required string Subject { get; init; }

    /// <summary>The plain-text body.</summary>
    [JsonPropertyName("text")]
    public required string Text { get; init; }

    /// <summary>Copy recipients.</summary>
    [JsonPropertyName("cc")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>Blind-copy recipients.</summary>
    [JsonPropertyName("bcc")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Bcc { get; init; }

    /// <summary>Where replies go.</summary>
    [JsonPropertyName("reply_to")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplyTo { get; init; }

    /// <summary>Extra email headers: <c>Message-ID</c>, <c>In-Reply-To</c>, <c>References</c>.</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Tags, which Resend echoes in every webhook event of the email (as an object, docs/resend.md §5).</summary>
    [JsonPropertyName("tags")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ResendTag>? Tags { get; init; }
}

/// <summary>A tag of an email: ASCII letters, digits, <c>_</c> and <c>-</c>, up to 256 characters each (docs/resend.md §1).</summary>
/// <param name="Name">The tag's name.</param>
/// <param name="Value">Its value.</param>
public sealed record ResendTag(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value)
{
    /// <summary>The longest name or value Resend takes.</summary>
    public const int MaxLength = 256;

    /// <summary>Whether Resend takes <paramref name="text"/> as a tag's name or value: 1 to <see cref="MaxLength"/> ASCII letters, digits, <c>_</c> and <c>-</c>.</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: > 0 and <= MaxLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}

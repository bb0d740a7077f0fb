namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Text with U+0000 replaced by U+FFFD. PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold a NUL, which a signed
/// provider event can carry (escaped faithfully as <c>\u0000</c>); no mail text means anything by it.
/// </summary>
public static class NulFreeText
{
    /// <summary><paramref name="value"/> without NUL characters, each replaced by U+FFFD; null stays null.</summary>
    public static string? Of(string? value) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;
}

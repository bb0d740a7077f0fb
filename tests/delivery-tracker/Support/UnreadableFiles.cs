using System.Text;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// Outbox files that are JSON yet cannot be read field by field: a string that is not UTF-8, a field given twice, a
/// string escaping half a surrogate pair.
/// </summary>
public static class UnreadableFiles
{
    /// <summary>The cases: a label, the file's bytes, and words its reason must hold.</summary>
    public static TheoryData<string, byte[], string> Cases() => new()
    {
        { "not-utf8", NotUtf8(), "not UTF-8" },
        { "field-twice", Encoding.UTF8.GetBytes(RelayFixture.Email("Twice").Replace("\"subject\":", "\"subject\":\"Once\",\"subject\":", StringComparison.Ordinal)), "a field appears twice" },
        { "lone-surrogate", Encoding.UTF8.GetBytes(RelayFixture.Email("Half a pair").Replace("Half a pair", "Half a pair \\ud800", StringComparison.Ordinal)), "cannot be read as text" },
    };

    // "Ol\xC3(" in the subject: a lead byte followed by no continuation byte, inside a JSON string.
    private static byte[] NotUtf8()
    {
        var file = Encoding.UTF8.GetBytes(RelayFixture.Email("Ol@"));
        var at = Encoding.UTF8.GetString(file).IndexOf("Ol@", StringComparison.Ordinal) + 2;
        file[at] = 0xC3;
        return [.. file[..(at + 1)], (byte)'(', .. file[(at + 1)..]];
    }
}

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The longest outbox file that can hold an email the relay could send, and the reading of a file checked against it
/// by its length first: one longer is refused unread, so a file of any size costs no more memory than that bound.
/// </summary>
public static class OutboxFileSize
{
    // The body is the only large field, at most maxBodyBytes of UTF-8, and JSON spends at most six bytes on each of
    // them: a \u00XX escape, which System.Text.Json's default encoder (MailOutboxWriter's) writes for every '<', '>',
    // '&' and control character; a character of two, three or four bytes takes one or two \uXXXX, at most three per
    // byte. The other fields have no limit of their own in the format, but recipients (fifty addresses), a subject,
    // threading headers, ids and the indentation of a written file come nowhere near a mebibyte.
    private const int JsonBytesPerBodyByte = 6;
    private const int OtherFieldsBytes = 1024 * 1024;

    /// <summary>The longest file whose body can be at most <paramref name="maxBodyBytes"/>.</summary>
    public static long MaxBytes(int maxBodyBytes) => (JsonBytesPerBodyByte * (long)maxBodyBytes) + OtherFieldsBytes;

    /// <summary>Why a file of <paramref name="length"/> bytes, longer than <see cref="MaxBytes"/>, is not read.</summary>
    public static FileProblem TooLarge(long length, int maxBodyBytes) => new(
        "(file)",
        $"the file must be at most {MaxBytes(maxBodyBytes)} bytes: a body of at most {maxBodyBytes} bytes (the provider's limit), escaped, and the other fields",
        $"the file is {length} bytes, too large to hold an email the relay could send");

    /// <summary>
    /// The bytes of the file at <paramref name="path"/>, or null when it is longer than <see cref="MaxBytes"/>, left
    /// unread; with its length either way.
    /// </summary>
    public static async Task<(byte[]? Content, long Length)> ReadAsync(string path, int maxBodyBytes, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.Asynchronous);
        if (file.Length > MaxBytes(maxBodyBytes))
        {
            return (null, file.Length);
        }

        var content = new byte[file.Length];
        await file.ReadExactlyAsync(content, cancellationToken);
        return (content, file.Length);
    }
}

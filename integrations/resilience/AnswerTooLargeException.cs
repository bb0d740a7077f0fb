namespace OrdersMail.Integrations.Resilience;

/// <summary>
/// An answer longer than its request's <see cref="AnswerReadingHandler.MaxAnswerBytes"/>, refused once that many bytes
/// were read (or unread, when its Content-Length said so). Not an <see cref="HttpRequestException"/>, so the resilience
/// pipeline neither retries it nor counts it against the circuit: the provider answered, at a length the caller will not hold.
/// </summary>
public sealed class AnswerTooLargeException : Exception
{
    /// <summary>Creates the exception for an answer of <paramref name="statusCode"/> past <paramref name="maxBytes"/>.</summary>
    public AnswerTooLargeException(int statusCode, long maxBytes, Exception innerException)
        : base($"The answer ({statusCode}) is longer than {maxBytes} bytes.", innerException)
    {
        StatusCode = statusCode;
        MaxBytes = maxBytes;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>The bound it went past.</summary>
    public long MaxBytes { get; }
}

using System.Globalization;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Resend's two timestamp formats, both found in one webhook payload: the event's <c>created_at</c> in
/// milliseconds with <c>Z</c>, and the email's <c>created_at</c> in microseconds with <c>+00:00</c>. Sending
/// both keeps receivers honest about parsing them as <see cref="DateTimeOffset"/>.
/// </summary>
public static class ResendTime
{
    /// <summary>An event time, e.g. <c>2024-02-22T23:41:12.126Z</c>.</summary>
    public static string Event(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A record time, e.g. <c>2024-02-22T23:41:11.894719+00:00</c>.</summary>
    public static string Record(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}

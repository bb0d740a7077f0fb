using System.Security.Cryptography;

namespace OrdersMail.MailSandbox.Core;

/// <summary>Identifiers shaped like the real services' (<c>msg_…</c>, <c>ep_…</c>, <c>evt_…</c>).</summary>
public static class Ids
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A prefix and random base62 characters, e.g. <c>msg_p5jXN8AQM9LWM0D4loKWxJek</c>.</summary>
    public static string New(string prefix, int length = 27) => prefix + RandomNumberGenerator.GetString(Base62, length);

    /// <summary>Random lower-case letters and digits (usernames, suggestions).</summary>
    public static string Lower(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", length);
}

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Where Resend is and how hard the client tries: section <c>Resend</c> (<c>ORDERSMAIL_Resend__ApiKey</c>...).
/// The defaults reach the local mail sandbox.
/// </summary>
public sealed class ResendOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Resend";

    /// <summary>Resend's base URL; sends go to <c>{BaseUrl}/emails</c> (production: <c>https://api.resend.com</c>).</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:7070/resend");

    /// <summary>The API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>; Resend's keys start with <c>re_</c>.</summary>
    public string ApiKey { get; set; } = "re_local_sandbox";

    /// <summary>
    /// Requests per second the client allows itself (a token bucket over every attempt): Resend's limit for the team,
    /// 5 by default (docs/resend.md §3). Raise it only when Resend has raised the team's limit.
    /// </summary>
    public int RequestsPerSecond { get; set; } = 5;

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt of a send that failed transiently (408, 429, 5xx, no answer); 0 disables them.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The median delay before the first retry; later ones back off exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is waited for only this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The share of failed attempts, within <see cref="BreakerSamplingDuration"/>, that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The attempts needed within <see cref="BreakerSamplingDuration"/> before the ratio counts (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window over which the failure ratio is measured.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails sends at once before it lets one through to probe.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

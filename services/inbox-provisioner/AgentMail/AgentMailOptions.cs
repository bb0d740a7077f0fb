namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// Where AgentMail is and how hard the client tries: section <c>InboxProvisioner:AgentMail</c>
/// (<c>ORDERSMAIL_InboxProvisioner__AgentMail__ApiKey</c>...). The defaults reach the local mail sandbox.
/// </summary>
public sealed class AgentMailOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "InboxProvisioner:AgentMail";

    /// <summary>AgentMail's base URL; every path is <c>{BaseUrl}/v0/...</c> (production: <c>https://api.agentmail.to</c>).</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:7070/agentmail");

    /// <summary>The API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>; AgentMail's keys start with <c>am_</c>.</summary>
    public string ApiKey { get; set; } = "am_local_sandbox";

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt of a call that failed transiently (408, 429, 5xx, no answer); 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The median delay before the first retry; later retries back off exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is waited for only this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of failed attempts, within <see cref="BreakerSamplingDuration"/>, that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The attempts needed within <see cref="BreakerSamplingDuration"/> before the ratio counts (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window over which the failure ratio is measured.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before it lets one through to probe.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

namespace OrdersMail.Integrations.Resilience;

/// <summary>
/// How hard a provider client tries: the settings of the pipeline <see cref="ProviderResilience.AddStrategies"/>
/// builds, bound with the rest of the client's options from its section. Each provider's options derive from this and
/// choose their own retry budget; the rest are the same for every provider.
/// </summary>
public abstract class ProviderResilienceOptions
{
    /// <summary>Sets the two defaults that differ between providers.</summary>
    protected ProviderResilienceOptions(int maxRetries, TimeSpan maxRetryAfter)
    {
        MaxRetries = maxRetries;
        MaxRetryAfter = maxRetryAfter;
    }

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt of a call that failed transiently (408, 429, 5xx, no answer); 0 disables them.</summary>
    public int MaxRetries { get; set; }

    /// <summary>The median delay before the first retry; later retries back off exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is waited for only this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; }

    /// <summary>The share of failed attempts, within <see cref="BreakerSamplingDuration"/>, that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The attempts needed within <see cref="BreakerSamplingDuration"/> before the ratio counts (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window over which the failure ratio is measured.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before it lets one through to probe.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

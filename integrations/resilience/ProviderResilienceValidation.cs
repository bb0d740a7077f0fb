namespace OrdersMail.Integrations.Resilience;

/// <summary>
/// The checks a provider client's options validator makes of its <see cref="ProviderResilienceOptions"/> at start,
/// so that settings Polly would reject refuse to start the service, each named by its key, instead of failing the
/// first call that builds the pipeline.
/// </summary>
public static class ProviderResilienceValidation
{
    /// <summary>The shortest attempt timeout (Polly's lower bound).</summary>
    public static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The shortest breaker sampling window and break (Polly's lower bound).</summary>
    public static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(1);

    /// <summary>Adds a sentence per unusable setting to <paramref name="problems"/>, each naming its key below <paramref name="section"/>.</summary>
    public static void AddProblems(ICollection<string> problems, string section, ProviderResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(options);
        CheckDuration(problems, section, "AttemptTimeout", options.AttemptTimeout, MinAttemptTimeout);
        CheckDuration(problems, section, "RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero);
        CheckDuration(problems, section, "MaxRetryAfter", options.MaxRetryAfter, TimeSpan.Zero);
        CheckDuration(problems, section, "BreakerSamplingDuration", options.BreakerSamplingDuration, MinBreakerDuration);
        CheckDuration(problems, section, "BreakDuration", options.BreakDuration, MinBreakerDuration);

        if (options.MaxRetries < 0)
        {
            problems.Add($"{section}:MaxRetries must not be negative (0 disables retries; got {options.MaxRetries}).");
        }

        if (options.BreakerFailureRatio is not (> 0 and <= 1))
        {
            problems.Add($"{section}:BreakerFailureRatio must be more than 0 and at most 1 (got {options.BreakerFailureRatio}).");
        }

        if (options.BreakerMinimumThroughput < 2)
        {
            problems.Add($"{section}:BreakerMinimumThroughput must be at least 2 (got {options.BreakerMinimumThroughput}).");
        }
    }

    /// <summary>Adds a sentence to <paramref name="problems"/> unless <paramref name="baseUrl"/> is set to an absolute http(s) URL.</summary>
    public static void CheckBaseUrl(ICollection<string> problems, string section, Uri? baseUrl, string example)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (baseUrl is null)
        {
            problems.Add($"{section}:BaseUrl must be set to the provider's URL, e.g. {example} (nothing is assumed, not even the local sandbox).");
        }
        else if (baseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            problems.Add($"{section}:BaseUrl must be an absolute http(s) URL, e.g. {example} (got '{baseUrl}').");
        }
    }

    private static void CheckDuration(ICollection<string> problems, string section, string key, TimeSpan value, TimeSpan min)
    {
        if (value < min || value > LongestDuration)
        {
            problems.Add($"{section}:{key} must be between {min} and {LongestDuration} (got {value}).");
        }
    }
}

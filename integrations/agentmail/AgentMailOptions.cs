using Microsoft.Extensions.Options;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// Where AgentMail is and how hard the client tries, bound from the section the host names to
/// <see cref="AgentMailRegistration.AddAgentMailClient"/> (each service its own, e.g. <c>InboxProvisioner:AgentMail</c>,
/// <c>ORDERSMAIL_InboxProvisioner__AgentMail__ApiKey</c>...). The defaults reach the local mail sandbox.
/// </summary>
public sealed class AgentMailOptions
{
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

/// <summary>
/// Refuses to start with AgentMail settings that could never work: a relative or non-HTTP base URL, no API key,
/// timeouts or delays that are not positive, or breaker settings Polly would reject. Each problem names its key below
/// <paramref name="section"/>, the configuration section the options were bound from.
/// </summary>
public sealed class AgentMailOptionsValidator(string section) : IValidateOptions<AgentMailOptions>
{
    /// <summary>The shortest attempt timeout (Polly's lower bound).</summary>
    public static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The shortest breaker sampling window and break (Polly's lower bound).</summary>
    public static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.BaseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            problems.Add($"{section}:BaseUrl must be an absolute http(s) URL, e.g. https://api.agentmail.to (got '{options.BaseUrl}').");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add($"{section}:ApiKey must be set to an AgentMail API key (am_...).");
        }

        Check(problems, "AttemptTimeout", options.AttemptTimeout, MinAttemptTimeout);
        Check(problems, "RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero);
        Check(problems, "MaxRetryAfter", options.MaxRetryAfter, TimeSpan.Zero);
        Check(problems, "BreakerSamplingDuration", options.BreakerSamplingDuration, MinBreakerDuration);
        Check(problems, "BreakDuration", options.BreakDuration, MinBreakerDuration);

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

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private void Check(List<string> problems, string key, TimeSpan value, TimeSpan min)
    {
        if (value < min || value > LongestDuration)
        {
            problems.Add($"{section}:{key} must be between {min} and {LongestDuration} (got {value}).");
        }
    }
}

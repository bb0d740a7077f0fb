using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// Refuses to start with AgentMail settings that could never work: a relative or non-HTTP base URL, no API key,
/// timeouts or delays that are not positive, or breaker settings Polly would reject. Each problem names its key.
/// </summary>
public sealed class AgentMailOptionsValidator : IValidateOptions<AgentMailOptions>
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
        const string S = AgentMailOptions.Section;
        var problems = new List<string>();
        if (options.BaseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            problems.Add($"{S}:BaseUrl must be an absolute http(s) URL, e.g. https://api.agentmail.to (got '{options.BaseUrl}').");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add($"{S}:ApiKey must be set to an AgentMail API key (am_...).");
        }

        Check(problems, "AttemptTimeout", options.AttemptTimeout, MinAttemptTimeout);
        Check(problems, "RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero);
        Check(problems, "MaxRetryAfter", options.MaxRetryAfter, TimeSpan.Zero);
        Check(problems, "BreakerSamplingDuration", options.BreakerSamplingDuration, MinBreakerDuration);
        Check(problems, "BreakDuration", options.BreakDuration, MinBreakerDuration);

        if (options.MaxRetries < 0)
        {
            problems.Add($"{S}:MaxRetries must not be negative (0 disables retries; got {options.MaxRetries}).");
        }

        if (options.BreakerFailureRatio is not (> 0 and <= 1))
        {
            problems.Add($"{S}:BreakerFailureRatio must be more than 0 and at most 1 (got {options.BreakerFailureRatio}).");
        }

        if (options.BreakerMinimumThroughput < 2)
        {
            problems.Add($"{S}:BreakerMinimumThroughput must be at least 2 (got {options.BreakerMinimumThroughput}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Check(List<string> problems, string key, TimeSpan value, TimeSpan min)
    {
        if (value < min || value > LongestDuration)
        {
            problems.Add($"{AgentMailOptions.Section}:{key} must be between {min} and {LongestDuration} (got {value}).");
        }
    }
}

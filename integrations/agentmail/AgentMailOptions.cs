using Microsoft.Extensions.Options;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// Where AgentMail is and how hard the client tries, bound from the section the host names to
/// <see cref="AgentMailRegistration.AddAgentMailClient"/> (each service its own, e.g. <c>InboxProvisioner:AgentMail</c>,
/// <c>ORDERSMAIL_InboxProvisioner__AgentMail__ApiKey</c>...). <see cref="BaseUrl"/> and <see cref="ApiKey"/> have no
/// default: a section left unset would otherwise ask a local sandbox for every call and be refused, so it refuses to start.
/// </summary>
public sealed class AgentMailOptions() : ProviderResilienceOptions(maxRetries: 4, maxRetryAfter: TimeSpan.FromSeconds(30))
{
    /// <summary>
    /// AgentMail's base URL; every path is <c>{BaseUrl}/v0/...</c> (production: <c>https://api.agentmail.to</c>; the local
    /// mail sandbox's <c>http://127.0.0.1:7070/agentmail</c>, which deploy/local sets). Required.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>; AgentMail's keys start with <c>am_</c>. Required.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// Refuses to start with AgentMail settings that could never work: no base URL or a relative or non-HTTP one, no API key,
/// timeouts or delays that are not positive, or breaker settings Polly would reject. Each problem names its key below
/// <paramref name="section"/>, the configuration section the options were bound from.
/// </summary>
public sealed class AgentMailOptionsValidator(string section) : IValidateOptions<AgentMailOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        ProviderResilienceValidation.CheckBaseUrl(problems, section, options.BaseUrl, "https://api.agentmail.to");
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add($"{section}:ApiKey must be set to an AgentMail API key (am_...).");
        }

        ProviderResilienceValidation.AddProblems(problems, section, options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

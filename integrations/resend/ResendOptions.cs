using Microsoft.Extensions.Options;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Where Resend is and how hard the client tries: section <c>Resend</c> (<c>ORDERSMAIL_Resend__ApiKey</c>...).
/// <see cref="BaseUrl"/> and <see cref="ApiKey"/> have no default: unset, the relay would send every email to a local
/// sandbox and be refused, so it refuses to start.
/// </summary>
public sealed class ResendOptions() : ProviderResilienceOptions(maxRetries: 3, maxRetryAfter: TimeSpan.FromSeconds(10))
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Resend";

    /// <summary>
    /// Resend's base URL; sends go to <c>{BaseUrl}/emails</c> (production: <c>https://api.resend.com</c>; the local mail
    /// sandbox's <c>http://127.0.0.1:7070/resend</c>, which deploy/local sets). Required.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>; Resend's keys start with <c>re_</c>. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Requests per second the client allows itself (a token bucket over every attempt): Resend's limit for the team,
    /// 5 by default (docs/resend.md §3). Raise it only when Resend has raised the team's limit.
    /// </summary>
    public int RequestsPerSecond { get; set; } = 5;

    /// <summary>
    /// How long every Resend call of the process is refused unsent after Resend refused one for the team's daily or
    /// monthly quota (<see cref="ResendQuota"/>) without a <c>Retry-After</c> it can read; the first call after it asks
    /// Resend again. Mail waits meanwhile.
    /// </summary>
    public TimeSpan QuotaPause { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest <see cref="QuotaPause"/>: shorter, the pause would ask Resend again about as often as the retries it replaces.</summary>
    public static readonly TimeSpan ShortestQuotaPause = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <see cref="QuotaPause"/>, and the longest pause a quota refusal's <c>Retry-After</c> begins: a daily
    /// quota comes back within a day, and a monthly one is asked about again once a day.
    /// </summary>
    public static readonly TimeSpan LongestQuotaPause = TimeSpan.FromDays(1);

    /// <summary>
    /// The shortest pause a quota refusal's <c>Retry-After</c> begins, unless <see cref="QuotaPause"/> is shorter: Resend's
    /// answers carry the rate limit's <c>retry-after</c> of a second or so (docs/resend.md §3), which on a quota's 429
    /// would have every call ask again at once.
    /// </summary>
    public static readonly TimeSpan ShortestQuotaRetryAfter = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Refuses to start with Resend settings that could never work, each problem named by its key: no base URL or a
/// relative or non-HTTP one, no API key, no request rate, a quota pause out of bounds, or resilience settings Polly would reject (which
/// would otherwise fail the first send, when the pipeline is built).
/// </summary>
public sealed class ResendOptionsValidator : IValidateOptions<ResendOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ResendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        ProviderResilienceValidation.CheckBaseUrl(problems, ResendOptions.Section, options.BaseUrl, "https://api.resend.com");
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add($"{ResendOptions.Section}:ApiKey must be set to a Resend API key (re_...).");
        }

        if (options.RequestsPerSecond <= 0)
        {
            problems.Add($"{ResendOptions.Section}:RequestsPerSecond must be positive: the team's request limit at Resend, 5 by default (got {options.RequestsPerSecond}).");
        }

        if (options.QuotaPause < ResendOptions.ShortestQuotaPause || options.QuotaPause > ResendOptions.LongestQuotaPause)
        {
            problems.Add($"{ResendOptions.Section}:QuotaPause must be between {ResendOptions.ShortestQuotaPause} and {ResendOptions.LongestQuotaPause} (got {options.QuotaPause}).");
        }

        ProviderResilienceValidation.AddProblems(problems, ResendOptions.Section, options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

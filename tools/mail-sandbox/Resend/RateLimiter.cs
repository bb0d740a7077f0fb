using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Resend's request rate limit: one <see cref="TokenBucket"/> per API key at
/// <see cref="SandboxOptions.ResendRequestsPerSecond"/>. (Resend counts per team; with one team per key here,
/// per key is the same thing and keeps parallel tests from throttling each other.)
/// </summary>
public sealed class RateLimiter(IOptions<SandboxOptions> options, TimeProvider time) : ISandboxState
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token from <paramref name="apiKey"/>'s bucket.</summary>
    public RateLimitDecision Take(string apiKey) =>
        _buckets.GetOrAdd(apiKey, _ => new TokenBucket(Math.Max(1, options.Value.ResendRequestsPerSecond), time)).Take();

    /// <inheritdoc />
    public void Reset() => _buckets.Clear();
}

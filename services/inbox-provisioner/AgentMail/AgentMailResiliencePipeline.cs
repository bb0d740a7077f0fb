using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// The client's one resilience pipeline (a singleton, so the circuit's state outlives the handlers
/// <c>IHttpClientFactory</c> rotates), outermost first:
/// <list type="number">
/// <item>retry of transient failures (<see cref="AgentMailFailures"/>), waiting as long as <c>Retry-After</c> asks
/// (capped by <see cref="AgentMailOptions.MaxRetryAfter"/>) or else backing off exponentially with jitter;</item>
/// <item>a circuit breaker over each attempt's outcome, counting the same failures;</item>
/// <item>a timeout on each attempt.</item>
/// </list>
/// Every operation is retried, POST included: creates carry a <c>client_id</c>, so a repeated create returns the
/// resource the first one made instead of making another; PATCH and DELETE are idempotent by nature.
/// </summary>
internal sealed class AgentMailResiliencePipeline
{
    /// <summary>The operation being attempted, for the log lines.</summary>
    public static readonly ResiliencePropertyKey<string> Operation = new("agentmail.operation");

    public AgentMailResiliencePipeline(IOptions<AgentMailOptions> options, TimeProvider time, ILogger<AgentMailClient> logger)
    {
        var settings = options.Value;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(AgentMailFailures.IsTransient(args.Outcome)),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfterHeader.Delay(args.Outcome.Result, time, settings.MaxRetryAfter)),
                OnRetry = args =>
                {
                    AgentMailLog.RetryScheduled(logger, OperationOf(args.Context), args.AttemptNumber + 1, AgentMailFailures.Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => ValueTask.FromResult(AgentMailFailures.IsServiceFailure(args.Outcome)),
            FailureRatio = settings.BreakerFailureRatio,
            MinimumThroughput = settings.BreakerMinimumThroughput,
            SamplingDuration = settings.BreakerSamplingDuration,
            BreakDuration = settings.BreakDuration,
            OnOpened = args =>
            {
                AgentMailLog.CircuitOpened(logger, OperationOf(args.Context), AgentMailFailures.Describe(args.Outcome), args.BreakDuration);
                return default;
            },
            OnClosed = _ =>
            {
                AgentMailLog.CircuitClosed(logger);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = settings.AttemptTimeout });
        Pipeline = builder.Build();
    }

    /// <summary>The pipeline every request of the client runs through.</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    private static string OperationOf(ResilienceContext context) => context.Properties.GetValue(Operation, "unknown");
}

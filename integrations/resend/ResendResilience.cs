using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OrdersMail.Integrations.Resilience;
using Polly;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// The client's resilience pipeline, outermost first: retry of transient failures (408, 429 but a quota's, which the
/// rate gate's handler raises as <see cref="ResendQuotaExceededException"/>, 5xx, no answer, an attempt timed out) honouring <c>Retry-After</c> up to <see cref="ResendOptions.MaxRetryAfter"/>, else exponential
/// backoff with jitter; each attempt's turn at the rate gate (<see cref="ResendPacing"/>); a circuit breaker counting the same failures except 429; a timeout per attempt. Retrying a
/// POST is safe because every send carries an <c>Idempotency-Key</c>: a repeat of a send that went through replays
/// its answer (docs/resend.md §2).
/// </summary>
internal static partial class ResendResilience
{
    /// <summary>The pipeline's name below the client's.</summary>
    public const string PipelineName = "resend";

    /// <summary>Adds the strategies to the pipeline <c>AddResilienceHandler</c> builds.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<ResendClient>>();
        var gate = context.ServiceProvider.GetRequiredService<ResendRateGate>();
        pipeline.AddStrategies(context.GetOptions<ResendOptions>(), new ProviderPipelineEvents
        {
            OnRetry = args =>
            {
                // A 429 is Resend pacing a busy caller, not a fault: worth a line, not a warning.
                if (args.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                {
                    RateLimited(logger, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds);
                }
                else
                {
                    RetryScheduled(logger, args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                }

                return default;
            },
            OnOpened = args =>
            {
                CircuitOpened(logger, Describe(args.Outcome), args.BreakDuration);
                return default;
            },
        }, () => new ResendPacing(gate));
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int?)outcome.Result?.StatusCode}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend send: attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms")]
    private static partial void RetryScheduled(ILogger logger, int attempt, string failure, long delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resend: attempt {Attempt} was rate limited (429); retrying in {DelayMs} ms")]
    private static partial void RateLimited(ILogger logger, int attempt, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resend circuit opened ({Failure}): sends fail at once for {BreakDuration}")]
    private static partial void CircuitOpened(ILogger logger, string failure, TimeSpan breakDuration);
}

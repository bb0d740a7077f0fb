using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OrdersMail.Integrations.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// The client's resilience pipeline (Microsoft.Extensions.Http.Resilience, Polly underneath), outermost first:
/// <list type="number">
/// <item>retry of transient failures (408, 429, 5xx, no answer, an attempt timed out), waiting as long as
/// <c>Retry-After</c> asks (capped by <see cref="AgentMailOptions.MaxRetryAfter"/>) or else backing off exponentially
/// with jitter;</item>
/// <item>a circuit breaker over each attempt's outcome, counting the same failures except 429;</item>
/// <item>a timeout on each attempt (<see cref="AgentMailOptions.AttemptTimeout"/>).</item>
/// </list>
/// The pipeline lives in the library's registry (a singleton), so the circuit's state outlives the handlers
/// <c>IHttpClientFactory</c> rotates. Every operation is retried, POST included: creates carry a <c>client_id</c>, so a
/// repeated create returns the resource the first one made instead of making another; PATCH and DELETE are idempotent
/// by nature; a reply carries an <c>Idempotency-Key</c>, so a repeated reply answers the first one's ids and sends nothing.
/// </summary>
internal static class AgentMailResilience
{
    /// <summary>The pipeline's name below the client's (<c>AddResilienceHandler</c>).</summary>
    public const string PipelineName = "agentmail";

    /// <summary>How many attempts the call has made so far, for <see cref="AgentMailCallHandler"/>'s message.</summary>
    public static readonly HttpRequestOptionsKey<int> AttemptsMade = new("agentmail.attempts");

    /// <summary>Adds the strategies to the pipeline <c>AddResilienceHandler</c> builds.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<AgentMailClient>>();
        pipeline.AddStrategies(context.GetOptions<AgentMailOptions>(), new ProviderPipelineEvents
        {
            OnRetry = args =>
            {
                // AttemptNumber counts from 0 for the attempt that failed, so the one about to start is the (n + 2)th.
                args.Context.GetRequestMessage()?.Options.Set(AttemptsMade, args.AttemptNumber + 2);
                AgentMailLog.RetryScheduled(logger, OperationOf(args.Context), args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                return default;
            },
            OnOpened = args =>
            {
                AgentMailLog.CircuitOpened(logger, OperationOf(args.Context), Describe(args.Outcome), args.BreakDuration);
                return default;
            },
            OnClosed = _ =>
            {
                AgentMailLog.CircuitClosed(logger);
                return default;
            },
        });
    }

    private static string OperationOf(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(AgentMailOperations.RequestOption, out var operation) == true ? operation : "unknown";

    /// <summary>The failure in a few words for a log line: a status, or the kind of exception. Never a body.</summary>
    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        TimeoutRejectedException timeout => $"timed out after {timeout.Timeout}",
        HttpRequestException request => $"no answer: {request.HttpRequestError}",
        { } other => other.GetType().Name,
        null => $"HTTP {(int?)outcome.Result?.StatusCode}",
    };
}

/// <summary>
/// The outermost handler, around the resilience handler: it counts each call once (not each attempt) and turns what
/// the retries could not overcome into an <see cref="AgentMailUnavailableException"/> saying why. The resilience
/// handler hands back Polly's own outcome (the last transient response, or a <see cref="BrokenCircuitException"/>,
/// <see cref="TimeoutRejectedException"/> or <see cref="HttpRequestException"/>); the client's callers branch on
/// <see cref="AgentMailUnavailableReason"/> instead, so they never depend on Polly. Every other answer (2xx, definitive
/// 4xx) goes back to <see cref="AgentMailClient"/> as it came.
/// </summary>
internal sealed class AgentMailCallHandler(AgentMailMetrics metrics) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(AgentMailOperations.RequestOption, out var name) ? name : request.Method.Method;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (IsTransient(response))
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw Unavailable(operation, AgentMailUnavailableReason.TransientStatus, $"answered {status} to the last of {Attempts(request)} attempt(s)", status);
            }

            metrics.Record(operation, response.IsSuccessStatusCode ? AgentMailMetrics.Success
                : response.StatusCode == System.Net.HttpStatusCode.NotFound ? AgentMailMetrics.NotFound
                : AgentMailMetrics.Rejected);
            return response;
        }
        catch (AnswerTooLargeException e)
        {
            metrics.Record(operation, AgentMailMetrics.TooLarge);
            throw new AgentMailAnswerTooLargeException(e.StatusCode, operation, e);
        }
        catch (BrokenCircuitException e)
        {
            throw Unavailable(operation, AgentMailUnavailableReason.CircuitOpen, "the circuit is open after repeated failures, so the call was not sent", null, e);
        }
        catch (TimeoutRejectedException e)
        {
            throw Unavailable(operation, AgentMailUnavailableReason.Timeout, $"the last of {Attempts(request)} attempt(s) got no answer within {e.Timeout}", null, e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(operation, AgentMailUnavailableReason.Unreachable, $"unreachable on the last of {Attempts(request)} attempt(s) ({e.HttpRequestError})", null, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Record(operation, AgentMailMetrics.Canceled);
            throw;
        }
    }

    // The rule the retry strategy applied to each attempt: true here means the retries ran out on a transient status.
    private static bool IsTransient(HttpResponseMessage response) => HttpClientResiliencePredicates.IsTransient(Outcome.FromResult(response));

    // The retry strategy notes each attempt it starts on the request; none noted means the first was the only one.
    private static int Attempts(HttpRequestMessage request) =>
        request.Options.TryGetValue(AgentMailResilience.AttemptsMade, out var attempts) ? attempts : 1;

    private AgentMailUnavailableException Unavailable(string operation, AgentMailUnavailableReason reason, string what, int? status, Exception? cause = null)
    {
        metrics.Record(operation, AgentMailMetrics.OutcomeOf(reason));
        return new AgentMailUnavailableException($"AgentMail {operation}: {what}.", reason, cause) { StatusCode = status };
    }
}

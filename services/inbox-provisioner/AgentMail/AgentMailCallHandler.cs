using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrdersMail.InboxProvisioner.AgentMail;

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

using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// Runs each AgentMail request through <see cref="AgentMailResiliencePipeline"/>, counts the call, and turns what
/// the retries could not overcome into an <see cref="AgentMailUnavailableException"/> saying why. Every other
/// answer (2xx, definitive 4xx) goes back to <see cref="AgentMailClient"/> as it came.
/// </summary>
internal sealed class AgentMailResilienceHandler(AgentMailResiliencePipeline resilience, AgentMailMetrics metrics) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(AgentMailOperations.RequestOption, out var name) ? name : request.Method.Method;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AgentMailResiliencePipeline.Operation, operation);
        var attempts = 0;
        try
        {
            var response = await resilience.Pipeline.ExecuteAsync(
                (ctx, state) =>
                {
                    attempts++;
                    return new ValueTask<HttpResponseMessage>(base.SendAsync(state, ctx.CancellationToken));
                },
                context,
                request);
            if (AgentMailFailures.IsTransientStatus(response.StatusCode))
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw Unavailable(operation, AgentMailUnavailableReason.TransientStatus, $"answered {status} to the last of {attempts} attempt(s)", status);
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
            throw Unavailable(operation, AgentMailUnavailableReason.Timeout, $"the last of {attempts} attempt(s) got no answer within {e.Timeout}", null, e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(operation, AgentMailUnavailableReason.Unreachable, $"unreachable on the last of {attempts} attempt(s) ({e.HttpRequestError})", null, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Record(operation, AgentMailMetrics.Canceled);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private AgentMailUnavailableException Unavailable(string operation, AgentMailUnavailableReason reason, string what, int? status, Exception? cause = null)
    {
        metrics.Record(operation, AgentMailMetrics.OutcomeOf(reason));
        return new AgentMailUnavailableException($"AgentMail {operation}: {what}.", reason, cause) { StatusCode = status };
    }
}

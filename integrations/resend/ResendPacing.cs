using Polly;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Each attempt's turn at the <see cref="ResendRateGate"/>, as a strategy of the pipeline between the retry and the
/// circuit breaker: a retry takes a token as Resend counts it, while the wait for the turn is neither part of the
/// attempt's timeout nor a failure the breaker counts. Inside the attempt, sends queued behind a 429's pause of up to
/// <see cref="ResendOptions.MaxRetryAfter"/> timed out without reaching Resend, and enough of them opened the circuit
/// on a provider that had answered every request it saw.
/// </summary>
internal sealed class ResendPacing(ResendRateGate gate) : ResilienceStrategy
{
    /// <inheritdoc />
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        try
        {
            await gate.WaitAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (Exception e) when (e is OperationCanceledException or ResendQuotaExceededException)
        {
            return Outcome.FromException<TResult>(e);
        }

        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}

namespace OrdersMail.Integrations.Resend;

/// <summary>Passes each attempt through the process's <see cref="ResendRateGate"/>: it waits for its turn, and its answer tells the gate about the limit.</summary>
public sealed class ResendRateGateHandler(ResendRateGate gate) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        gate.Observe(response);
        return response;
    }
}

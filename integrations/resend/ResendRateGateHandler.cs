namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Tells the process's <see cref="ResendRateGate"/> what each attempt's answer says about the limit. Each attempt waited
/// for its turn before (<see cref="ResendPacing"/>, in the pipeline above, outside the attempt's timeout).
/// </summary>
public sealed class ResendRateGateHandler(ResendRateGate gate) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        gate.Observe(response);
        return response;
    }
}

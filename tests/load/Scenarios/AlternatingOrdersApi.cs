namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Sends every other request meant for orders-api to its second replica instead, as a load balancer in front of two
/// replicas would; requests to anything else pass unchanged.
/// </summary>
public sealed class AlternatingOrdersApi(Uri first, Uri second) : DelegatingHandler(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
{
    private long _requests;

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { } uri && uri.Port == first.Port && uri.Host == first.Host && Interlocked.Increment(ref _requests) % 2 == 0)
        {
            request.RequestUri = new UriBuilder(uri) { Port = second.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}

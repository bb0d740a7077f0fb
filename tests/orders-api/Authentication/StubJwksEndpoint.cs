using System.Net;
using System.Text;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// A JWKS endpoint in memory, put in place of the network under orders-api's JWKS client: answers with whatever
/// body (or failure) the test sets, counts the fetches, and can hold each answer back to let concurrent requests
/// pile up.
/// </summary>
public sealed class StubJwksEndpoint : HttpMessageHandler
{
    private int _fetches;

    /// <summary>The JWKS URL the stub pretends to be.</summary>
    public static Uri Url { get; } = new("https://clerk.example.test/.well-known/jwks.json");

    /// <summary>The body served with 200.</summary>
    public string Body { get; set; } = """{"keys":[]}""";

    /// <summary>When set, answered instead of 200.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>How long each answer is held back.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>How many times the JWKS was fetched.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        Assert.Equal(Url, request.RequestUri);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return FailWith is { } status
            ? new HttpResponseMessage(status)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
    }
}

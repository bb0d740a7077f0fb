using System.Collections.Concurrent;

namespace OrdersMail.Testing.Http;

/// <summary>
/// Every request that left a provider client for the network, one per attempt: a handler placed inside the resilience
/// handler records them, so retries show up as extra entries and a fail-fast as none.
/// </summary>
public sealed class RecordedRequests
{
    private readonly ConcurrentQueue<RecordedRequest> _sent = new();

    /// <summary>The requests sent so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> All => [.. _sent];

    /// <summary>How many requests went to a path ending with <paramref name="pathSuffix"/> (e.g. <c>/v0/inboxes</c>).</summary>
    public int To(HttpMethod method, string pathSuffix) =>
        _sent.Count(r => r.Method == method && r.Uri.AbsolutePath.EndsWith(pathSuffix, StringComparison.Ordinal));

    /// <summary>The handler that records into this log.</summary>
    public DelegatingHandler Handler() => new Recorder(this);

    private sealed class Recorder(RecordedRequests log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            log._sent.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, headers, body));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>One attempt as it left for the network.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The absolute URL.</param>
/// <param name="Headers">The request headers (not the content's), each with its values joined.</param>
/// <param name="Body">The body as text, when there was one.</param>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);

using System.Collections.Concurrent;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// Every request that left the client for the network, one per attempt: a handler placed inside the resilience
/// handler records them, so retries show up as extra entries and a fail-fast as none.
/// </summary>
public sealed class RecordedRequests
{
    private readonly ConcurrentQueue<(HttpMethod Method, Uri Uri)> _sent = new();

    /// <summary>The requests sent so far, in order.</summary>
    public IReadOnlyList<(HttpMethod Method, Uri Uri)> All => [.. _sent];

    /// <summary>How many requests went to a path ending with <paramref name="pathSuffix"/> (e.g. <c>/v0/inboxes</c>).</summary>
    public int To(HttpMethod method, string pathSuffix) =>
        _sent.Count(r => r.Method == method && r.Uri.AbsolutePath.EndsWith(pathSuffix, StringComparison.Ordinal));

    /// <summary>The handler that records into this log.</summary>
    public DelegatingHandler Handler() => new Recorder(this);

    private sealed class Recorder(RecordedRequests log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            log._sent.Enqueue((request.Method, request.RequestUri!));
            return base.SendAsync(request, cancellationToken);
        }
    }
}

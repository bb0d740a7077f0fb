using OrdersMail.Testing.Http;

namespace OrdersMail.Load.Scenarios;

/// <summary>One hostile request and the answers that count as refusing it correctly.</summary>
/// <param name="Target">The ingress it is aimed at: <c>orders-api</c>, <c>inbound-router</c>, <c>delivery-tracker</c>.</param>
/// <param name="Name">What the request tries.</param>
/// <param name="Expected">The right status(es); a duplicate replay's 200/204 is right when it changes nothing, which the side-effect check proves.</param>
/// <param name="Send">
/// Sends it and returns the answer: a request built anew each time through the scenario's client, or bytes no client
/// library would send, written on a raw socket (<see cref="MalformedChunkedRequest"/>).
/// </param>
public sealed record AttackCase(string Target, string Name, IReadOnlySet<int> Expected, Func<HttpClient, Task<HttpResponseMessage>> Send)
{
    /// <summary>A case whose request an <see cref="HttpClient"/> can send, built anew each time.</summary>
    public static AttackCase Of(string target, string name, int expected, Func<HttpRequestMessage> build) =>
        new(target, name, new HashSet<int> { expected }, async http =>
        {
            using var request = build();
            return await http.SendAsync(request);
        });
}

/// <summary>The answer an attack case got.</summary>
/// <param name="Case">The case.</param>
/// <param name="Status">The status it answered, or 0 when the request failed without one.</param>
/// <param name="Why">
/// What its <c>application/problem+json</c> body says is wrong: its <c>detail</c>, else its validation <c>errors</c>, else a
/// <c>title</c> of its own (not the status's name); null when it says nothing.
/// </param>
public sealed record AttackResult(AttackCase Case, int Status, string? Why)
{
    /// <summary>Whether the status is one of the expected ones.</summary>
    public bool Refused => Case.Expected.Contains(Status);
}

using System.Text.Json;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// One routing batch's reads of AgentMail, each on behalf of one email (its body) or one inbox's emails (its order):
/// a read AgentMail fails (unavailable, refused, or answered what is not its API's) is those emails' failure alone, so
/// one message AgentMail cannot serve no longer fails every other customer's email beside it, batch after batch. Once
/// AgentMail was unavailable, the batch's remaining reads fail the same way unsent: an outage costs one read per batch
/// (a few, read at once), not one per email, each waiting out the client's retries and timeouts. Thread-safe.
/// </summary>
public sealed class AgentMailReads
{
    private AgentMailUnavailableException? _outage;

    /// <summary>What <paramref name="read"/> returned, or why AgentMail could not answer it; anything else is thrown.</summary>
    public async Task<(T? Value, Exception? Failure)> TryAsync<T>(Func<Task<T>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        if (Volatile.Read(ref _outage) is { } outage)
        {
            return (null, outage);
        }

        try
        {
            return (await read(), null);
        }
        catch (AgentMailUnavailableException e)
        {
            Interlocked.CompareExchange(ref _outage, e, null);
            return (null, e);
        }
        catch (Exception e) when (e is AgentMailException or JsonException)
        {
            return (null, e);
        }
    }
}

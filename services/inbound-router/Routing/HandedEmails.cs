using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Received emails the ingress recorded already claimed for this process's routing pump, handed over in memory after
/// their commit: the pump routes them without the claim statement (a transaction, a row version and its WAL each) that
/// taking them from <c>received_events</c> would cost. Room is reserved before the insert, so a row is only ever
/// recorded claimed when the pump will see it within moments; when the room is taken (the pump is behind), rows are
/// recorded unclaimed and the pump's claims take them, as any replica's may. A handed email is claimed like any other:
/// if this process dies first, its claim expires and whoever claims next routes it.
/// </summary>
public sealed class HandedEmails(IOptions<RoutingOptions> options)
{
    // Four batches per pump loop: enough to keep every loop busy between two commits of the ingress, little enough that
    // a handed email waits well under a second, far inside its claim.
    private readonly int _capacity = options.Value.BatchSize * options.Value.Batches * 4;
    private readonly ConcurrentQueue<ClaimedEmail> _queue = new();
    private int _held;

    /// <summary>Reserves room for <paramref name="count"/> emails; false (nothing reserved) when there is not enough.</summary>
    public bool TryReserve(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        while (true)
        {
            var held = Volatile.Read(ref _held);
            if (held + count > _capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _held, held + count, held) == held)
            {
                return true;
            }
        }
    }

    /// <summary>Hands over the emails recorded under a reservation of <paramref name="reserved"/>, which they end.</summary>
    public void Hand(IReadOnlyList<ClaimedEmail> emails, int reserved)
    {
        ArgumentNullException.ThrowIfNull(emails);
        if (emails.Count > reserved)
        {
            throw new ArgumentException($"{emails.Count} emails handed under a reservation of {reserved}.", nameof(emails));
        }

        foreach (var email in emails)
        {
            _queue.Enqueue(email);
        }

        Interlocked.Add(ref _held, emails.Count - reserved);
    }

    /// <summary>Ends a reservation nothing was recorded under (the insert failed).</summary>
    public void Release(int reserved) => Interlocked.Add(ref _held, -reserved);

    /// <summary>Takes up to <paramref name="limit"/> handed emails, oldest first; empty when none wait.</summary>
    public IReadOnlyList<ClaimedEmail> Take(int limit)
    {
        var taken = new List<ClaimedEmail>();
        while (taken.Count < limit && _queue.TryDequeue(out var email))
        {
            taken.Add(email);
        }

        Interlocked.Add(ref _held, -taken.Count);
        return taken;
    }
}

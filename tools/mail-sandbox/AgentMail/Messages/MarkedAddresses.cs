namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Addresses the control API marked for one fate of the mail sent to them (bouncing, complaining, rejecting), or that
/// fate marked as blocked (see <see cref="OutboundSender"/>). Held by <see cref="AgentMailStore"/> so <c>POST /sandbox/reset</c> clears them.
/// </summary>
public sealed class MarkedAddresses
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _addresses = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Marks bare addresses.</summary>
    public void Add(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        lock (_lock)
        {
            _addresses.UnionWith(addresses);
        }
    }

    /// <summary>True when this bare address is marked.</summary>
    public bool Contains(string address)
    {
        lock (_lock)
        {
            return _addresses.Contains(address);
        }
    }

    /// <summary>The marked addresses, sorted.</summary>
    public IReadOnlyList<string> All()
    {
        lock (_lock)
        {
            return [.. _addresses.Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Unmarks every address.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _addresses.Clear();
        }
    }
}

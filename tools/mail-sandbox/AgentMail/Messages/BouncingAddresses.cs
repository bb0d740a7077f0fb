namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Addresses marked through the control API as bouncing: mail sent to them raises <c>message.bounced</c> instead
/// of <c>message.delivered</c>. Held by <see cref="AgentMailStore"/> so <c>POST /sandbox/reset</c> clears it.
/// </summary>
public sealed class BouncingAddresses
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _addresses = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Marks bare addresses as bouncing.</summary>
    public void Add(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        lock (_lock)
        {
            _addresses.UnionWith(addresses);
        }
    }

    /// <summary>True when mail to this bare address bounces.</summary>
    public bool Contains(string address)
    {
        lock (_lock)
        {
            return _addresses.Contains(address);
        }
    }

    /// <summary>The bouncing addresses, sorted.</summary>
    public IReadOnlyList<string> All()
    {
        lock (_lock)
        {
            return [.. _addresses.Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Lets mail to every address through again.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _addresses.Clear();
        }
    }
}

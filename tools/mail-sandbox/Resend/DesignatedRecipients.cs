using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Addresses the sandbox treats as trouble, set through <c>/sandbox/resend/recipients</c>: mail to them bounces,
/// is delayed, or draws a complaint instead of simply being delivered. Resend's own test addresses
/// (<c>bounced@resend.dev</c>, <c>complained@resend.dev</c>) behave as on the real service without being set.
/// </summary>
public sealed class DesignatedRecipients : ISandboxState
{
    /// <summary>The receiving server rejects it: <c>email.bounced</c>.</summary>
    public const string Bounced = "bounced";

    /// <summary>The receiving server defers it: <c>email.delivery_delayed</c>.</summary>
    public const string DeliveryDelayed = "delivery_delayed";

    /// <summary>Delivered, then marked as spam: <c>email.delivered</c> and <c>email.complained</c>.</summary>
    public const string Complained = "complained";

    /// <summary>The outcomes an address can be given.</summary>
    public static readonly IReadOnlyList<string> Outcomes = [Bounced, DeliveryDelayed, Complained];

    private static readonly Dictionary<string, string> ResendTestAddresses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bounced@resend.dev"] = Bounced,
        ["complained@resend.dev"] = Complained,
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _outcomes = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void Reset() => Clear();

    /// <summary>Gives <paramref name="address"/> an outcome (one of <see cref="Outcomes"/>), replacing any earlier one.</summary>
    public void Designate(string address, string outcome)
    {
        lock (_lock)
        {
            _outcomes[address] = outcome;
        }
    }

    /// <summary>Makes <paramref name="address"/> ordinary again; false when it had no outcome.</summary>
    public bool Remove(string address)
    {
        lock (_lock)
        {
            return _outcomes.Remove(address);
        }
    }

    /// <summary>Makes every address ordinary again.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _outcomes.Clear();
        }
    }

    /// <summary>The designated addresses and their outcomes.</summary>
    public IReadOnlyDictionary<string, string> All()
    {
        lock (_lock)
        {
            return new Dictionary<string, string>(_outcomes, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// The outcome of an email to <paramref name="recipients"/> (<c>Name &lt;addr&gt;</c> or bare): that of the
    /// first designated one, since Resend reports one event per email rather than per recipient. Null: delivered.
    /// </summary>
    public string? OutcomeFor(IEnumerable<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        lock (_lock)
        {
            return recipients
                .Select(EmailAddress.Bare)
                .OfType<string>()
                .Select(a => _outcomes.GetValueOrDefault(a) ?? ResendTestAddresses.GetValueOrDefault(a))
                .FirstOrDefault(o => o is not null);
        }
    }
}

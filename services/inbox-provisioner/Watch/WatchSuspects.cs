using System.Runtime.InteropServices;
using OrdersMail.InboxProvisioner.Steps;

namespace OrdersMail.InboxProvisioner.Watch;

/// <summary>
/// The customers one look of the <see cref="WebhookWatch"/> found differing, in the turn its budget takes them:
/// <list type="number">
/// <item>an inbox AgentMail lists whose webhook is gone, org-wide, scoped elsewhere, disabled or posting elsewhere: its
/// mail reaches nobody, or another tenant's endpoint;</item>
/// <item>an inbox AgentMail lists whose webhook differs only in its event types: most of its mail still arrives (a
/// deploy that adds a type to the flow's makes every customer such a suspect at once, and with a budget of 100 a look
/// they must not keep the first kind waiting for hours);</item>
/// <item>an inbox AgentMail no longer lists (forgotten once confirmed).</item>
/// </list>
/// Each kind in no set order, so customers whose webhook cannot be repaired (AgentMail refusing) never keep the same
/// others waiting.
/// </summary>
internal sealed class WatchSuspects
{
    private readonly List<string> _broken = [];
    private readonly List<string> _drifted = [];
    private readonly List<string> _gone = [];

    /// <summary>How many customers differ.</summary>
    public int Count => _broken.Count + _drifted.Count + _gone.Count;

    /// <summary>Adds a customer whose webhook <paramref name="inspection"/> found differing.</summary>
    public void Add(string userId, WebhookInspection inspection, bool inboxListed)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        (!inboxListed ? _gone : inspection.NeedsRecreate ? _broken : _drifted).Add(userId);
    }

    /// <summary>The customers, most urgent kind first, each kind shuffled.</summary>
    public IEnumerable<string> InTurn()
    {
        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(_broken));
        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(_drifted));
        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(_gone));
        return _broken.Concat(_drifted).Concat(_gone);
    }
}

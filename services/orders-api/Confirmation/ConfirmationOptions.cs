using System.ComponentModel.DataAnnotations;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// The order confirmation's settings (section <c>Confirmation</c>); its sweeper's <see cref="ClaimSweepOptions.SweepInterval"/>
/// also looks for orders past <see cref="WaitForInbox"/>.
/// </summary>
public sealed class ConfirmationOptions : ClaimSweepOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Confirmation";

    /// <summary>Why the service refuses to start when <see cref="SweepWindowHoldsASweep"/> is false.</summary>
    public const string SweepWindowTooShort =
        $"{Section}:SweepLookBack must be longer than {Section}:WaitForInbox plus {Section}:SweepInterval. The sweeper confirms only " +
        "orders placed between SweepLookBack and WaitForInbox ago; in a shorter window an order whose inbox never comes " +
        "would pass between two sweeps, or never be in it, and get no confirmation.";

    /// <summary>How long a confirmation waits for the customer's inbox before it goes out with <see cref="DefaultReplyTo"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan WaitForInbox { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Why the service refuses to start when <see cref="DefaultReplyTo"/> is not a bare address the relay sends to.</summary>
    public const string DefaultReplyToRefused =
        $"{Section}:DefaultReplyTo must be set to a bare address (name@domain.tld) the providers take, a mailbox someone reads: " +
        "the confirmation of an order whose inbox never came tells the customer to reply, and the reply goes there.";

    /// <summary>
    /// The Reply-To of a confirmation whose order has no inbox (provisioning failed or is late): no default, since
    /// only the shop knows which of its mailboxes is read. A bare address, as the relay sends to
    /// (<see cref="MailAddresses.IsBareSendable"/>): a reply needs no name.
    /// </summary>
    public string DefaultReplyTo { get; set; } = "";

    /// <summary>
    /// How far back the sweeper looks for orders with no confirmation at all: a bounded window (one index range), not
    /// every order ever placed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SweepLookBack { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often a sweep looks back over all of <see cref="SweepLookBack"/> again; between those, each sweep looks only
    /// at the orders that became overdue since the last.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan FullSweepEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether every order stays overdue and within <see cref="SweepLookBack"/> for longer than a
    /// <see cref="ClaimSweepOptions.SweepInterval"/>, so a sweep sees it: the data annotations bound each setting alone, not this.
    /// </summary>
    public bool SweepWindowHoldsASweep() => WaitForInbox + SweepInterval < SweepLookBack;

    /// <summary>Whether <see cref="DefaultReplyTo"/> is a bare address the relay sends to; a setting written as null binds null.</summary>
    public bool DefaultReplyToIsSendable() => DefaultReplyTo is not null && MailAddresses.IsBareSendable(DefaultReplyTo);
}

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Everything a composer is given to write one reply. <see cref="Facts"/> is null for a sender who is not the order's
/// address, so no composer (and no model prompt) can ever hold order data for them.
/// </summary>
/// <param name="Intent">What the customer asks for.</param>
/// <param name="Facts">The order's facts, only for its verified sender.</param>
/// <param name="Subject">The customer's subject line.</param>
/// <param name="Text">The customer's new words, without the history a reply quotes (<see cref="NewWords"/>).</param>
/// <param name="Sender">The sender's address, which the reply goes to.</param>
/// <param name="Inbox">The shop's address that received the message, which the reply is sent from.</param>
public sealed record ReplyRequest(Intent Intent, OrderFacts? Facts, string Subject, string Text, string Sender, string Inbox)
{
    /// <summary>True when the sender is the order's address.</summary>
    public bool Verified => Facts is not null;

    /// <summary>
    /// True when the message was handed to a person (<c>agent_handoffs</c>): only then may the reply say that someone
    /// on the team will read it.
    /// </summary>
    public bool HandedOff { get; init; }
}

namespace OrdersMail.InboundRouter.Routing;

/// <summary>An order ops named for an email (<see cref="OrderLookup.FindNamedAsync"/>), and whether it is its inbox's customer's.</summary>
/// <param name="Order">The order.</param>
/// <param name="InboxCustomerKnown">Whether the router has learnt whose the email's inbox is (<c>inbox_owners</c>, from <c>InboxReady</c>).</param>
/// <param name="OfInboxCustomer">Whether the order is of the customer whose inbox received the email.</param>
public sealed record NamedOrder(KnownOrder Order, bool InboxCustomerKnown, bool OfInboxCustomer);

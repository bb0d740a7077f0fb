namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The order confirmation's delivery state (<c>order_emails.state</c>) in the customer's words. The states are ours, not
/// theirs: <c>complained</c> (the customer marked the delivered email as spam) read to them as a failure, or as the
/// word itself, which tells them what they did rather than where their confirmation is.
/// </summary>
public static class ConfirmationWording
{
    /// <summary>
    /// The state of a confirmation whose claim the confirmation sweeper gave up unwritten: no email was or will be sent,
    /// so it reads as not delivered.
    /// </summary>
    public const string GivenUp = "given_up";

    /// <summary>Where the confirmation stands, as a sentence for the answer.</summary>
    public static string Sentence(string? state) => Delivery(state) switch
    {
        Outcome.OnItsWay => "Your order confirmation email is on its way to you.",
        Outcome.Sent => "Your order confirmation email has been sent.",
        Outcome.Delivered => "Your order confirmation email was delivered.",
        _ => "Your order confirmation email could not be delivered, so please keep this email as your confirmation.",
    };

    /// <summary>Where the confirmation stands, in a word or two for the order's summary.</summary>
    public static string Status(string? state) => Delivery(state) switch
    {
        Outcome.OnItsWay => "on its way",
        Outcome.Sent => "sent",
        Outcome.Delivered => "delivered",
        _ => "not delivered",
    };

    // A complaint comes only after the customer's mail server accepted the email: it was delivered, and is in their
    // spam folder or deleted. Anything else (bounced, failed, GivenUp) did not reach them.
    private static Outcome Delivery(string? state) => state switch
    {
        null or "queued" => Outcome.OnItsWay,
        "sent" or "delivery_delayed" => Outcome.Sent,
        "delivered" or "complained" => Outcome.Delivered,
        _ => Outcome.NotDelivered,
    };

    private enum Outcome
    {
        OnItsWay,
        Sent,
        Delivered,
        NotDelivered,
    }
}

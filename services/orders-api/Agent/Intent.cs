namespace OrdersMail.OrdersApi.Agent;

/// <summary>What a customer's email asks for, as far as the agent can tell.</summary>
public enum Intent
{
    /// <summary>Anything else: a question, a thank-you, something the rules do not recognise.</summary>
    Other,

    /// <summary>Where the order is, when it arrives, its status.</summary>
    WhereIsMyOrder,

    /// <summary>Cancel the order.</summary>
    Cancel,

    /// <summary>Change the delivery address.</summary>
    ChangeAddress,

    /// <summary>Send it back, or get the money back.</summary>
    ReturnOrRefund,

    /// <summary>
    /// Something went wrong that only a person can put right: an item damaged, missing or wrong, a replacement, a
    /// double charge or chargeback, legal words.
    /// </summary>
    Problem,
}

/// <summary>What the agent can and cannot do about an <see cref="Intent"/>.</summary>
public static class IntentFacts
{
    /// <summary>
    /// True when the request needs a person: the agent only reads orders, so a cancellation, a refund, an address
    /// change or a problem with the order is passed on (labelled <see cref="AgentLabels.NeedsAction"/>), never pretended done.
    /// </summary>
    public static bool NeedsAction(this Intent intent) =>
        intent is Intent.Cancel or Intent.ChangeAddress or Intent.ReturnOrRefund or Intent.Problem;

    /// <summary>The intent's name as stored and logged (<c>where_is_my_order</c>...).</summary>
    public static string Name(this Intent intent) => intent switch
    {
        Intent.WhereIsMyOrder => "where_is_my_order",
        Intent.Cancel => "cancel",
        Intent.ChangeAddress => "change_address",
        Intent.ReturnOrRefund => "return_or_refund",
        Intent.Problem => "problem",
        _ => "other",
    };
}

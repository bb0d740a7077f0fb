namespace OrdersMail.OrdersApi.Conversation;

/// <summary>How a change to one message went.</summary>
internal enum ChangeOutcome
{
    /// <summary>The change was made; the result carries the message as it is now.</summary>
    Applied,

    /// <summary>No such message in an order of the caller's.</summary>
    NotFound,

    /// <summary>The message is already in the state asked for, and the change is one that must not be repeated.</summary>
    AlreadySo,

    /// <summary>The message would end with more labels than allowed; the result carries how many.</summary>
    TooManyLabels,
}

/// <summary>The outcome of a change, with the message when it was applied.</summary>
internal sealed record ChangeResult(ChangeOutcome Outcome, MessageView? Message = null, int LabelCount = 0);

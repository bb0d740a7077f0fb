namespace OrdersMail.Contracts.Outbound;

/// <summary>The external service an outbound email is sent through.</summary>
public enum EmailProvider
{
    /// <summary>AgentMail: inline replies sent from the customer's own inbox, so the thread stays intact.</summary>
    AgentMail = 1,

    /// <summary>Resend: transactional mail (confirmations, receipts).</summary>
    Resend = 2,
}

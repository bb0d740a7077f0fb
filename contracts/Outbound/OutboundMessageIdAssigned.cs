namespace OrdersMail.Contracts.Outbound;

/// <summary>
/// The provider gave a sent email a Message-ID other than the one <see cref="OutboundEmailSent"/> named (Resend sends
/// through Amazon SES, which may replace ours): the recipient's client answers this one, so a reply naming it belongs
/// to the email's order as much as one naming ours. Published once per id the tracker learns for the email.
/// </summary>
/// <param name="EmailId">The outbound email's id.</param>
/// <param name="OrderId">The order the email is about, if any.</param>
/// <param name="Provider">The provider whose event named it.</param>
/// <param name="InternetMessageId">The RFC 5322 Message-ID the email went out with, in <c>&lt;...&gt;</c> form.</param>
public sealed record OutboundMessageIdAssigned(
    Guid EmailId,
    Guid? OrderId,
    EmailProvider Provider,
    string InternetMessageId);

using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>One way out for an email: a provider's API.</summary>
public interface IEmailChannel
{
    /// <summary>The provider behind it.</summary>
    EmailProvider Provider { get; }

    /// <summary>The Message-ID the relay chooses for the email before sending it, or null when the provider assigns one.</summary>
    string? InternetMessageIdFor(Guid emailId);

    /// <summary>Sends <paramref name="email"/> once per <paramref name="emailId"/> (its idempotency key) and says what the provider made of it.</summary>
    Task<SendOutcome> SendAsync(Guid emailId, OutboxEmail email, CancellationToken cancellationToken);
}

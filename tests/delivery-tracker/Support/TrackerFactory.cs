using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>delivery-tracker, unchanged, on a test class's database and vhost, with the Resend endpoint's secret the sandbox issued.</summary>
public sealed class TrackerFactory(TestInfrastructure infrastructure, string webhookSecret) : ServiceHostFactory<Program>(infrastructure)
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Resend:WebhookSecret"] = webhookSecret,
        ["Delivery:PendingPollInterval"] = "00:00:00.100",
        ["Messaging:Retry:Limit"] = "2",
        ["Messaging:Retry:MinInterval"] = "00:00:00.050",
        ["Messaging:Retry:MaxInterval"] = "00:00:00.200",
    };
}

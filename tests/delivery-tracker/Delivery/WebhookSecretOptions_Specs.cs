using Microsoft.Extensions.Options;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>
/// A Resend webhook secret the verifier cannot read stops the tracker at start with a message naming the setting,
/// instead of a tracker that says it is ready and answers every webhook 500.
/// </summary>
public sealed class WebhookSecretOptions_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_====")]
    public void When_the_webhook_secret_is_unusable_Should_refuse_to_start(string secret)
    {
        using var tracker = new TrackerFactory(infrastructure, secret);

        var failure = Assert.ThrowsAny<Exception>(() => tracker.Server);

        var invalid = Assert.Single(Chain(failure).OfType<OptionsValidationException>());
        Assert.Contains("Resend:WebhookSecret", invalid.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (var e = (Exception?)failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}

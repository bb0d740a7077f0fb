using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>The <c>DeliveryTracker:Relay</c> settings as the relay's registration binds and checks them at start.</summary>
public sealed class RelayOptions_Specs
{
    /// <summary>A sender Resend refuses would fail every email for good while the tracker says it is ready: said at start instead.</summary>
    [Theory]
    [InlineData("OrdersMail")]
    [InlineData("Orders orders@ordersmail.example")]
    [InlineData("OrdersMail <orders@>")]
    public void When_the_sender_is_not_an_address_the_providers_take_Should_refuse_to_start_naming_it(string from)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(from));

        Assert.Contains(failure.Failures, f => f.Contains("DeliveryTracker:Relay:From must", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("orders@ordersmail.example")]
    [InlineData("OrdersMail <orders@ordersmail.example>")]
    public void When_the_sender_is_an_address_the_providers_take_Should_start(string from) =>
        Assert.Equal(from, Bind(from).From);

    private static RelayOptions Bind(string from)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DeliveryTracker:Relay:From"] = from }).Build());
        services.AddOutboxRelay();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RelayOptions>>().Value;
    }
}

using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>The <c>OrdersApi:Placement</c> settings as <see cref="OrdersModule.AddOrders"/> binds and checks them.</summary>
public sealed class PlacementLimitOptions_Specs
{
    [Fact]
    public void When_nothing_is_configured_Should_take_20_orders_a_minute_and_100_a_day_from_one_user()
    {
        var options = Bind([]);

        Assert.Equal((20, 100), (options.PerMinute, options.PerDay));
    }

    [Theory]
    [InlineData("OrdersApi:Placement:PerMinute", "0")]
    [InlineData("OrdersApi:Placement:PerMinute", "10001")]
    [InlineData("OrdersApi:Placement:PerDay", "0")]
    [InlineData("OrdersApi:Placement:PerDay", "1000001")]
    public void When_a_setting_is_out_of_range_Should_refuse_to_start_naming_it(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(failure.Failures, f => f.Contains(key[(key.LastIndexOf(':') + 1)..], StringComparison.Ordinal));
    }

    private static PlacementLimitOptions Bind(Dictionary<string, string?> settings) => BoundOptions.Of<PlacementLimitOptions>(settings, services => services.AddOrders());
}

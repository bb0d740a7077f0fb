using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Handoffs;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The <c>Agent:Handoffs</c> settings as <see cref="HandoffsModule.AddHandoffs"/> binds and checks them.</summary>
public sealed class HandoffReconcileOptions_Specs
{
    [Fact]
    public void When_nothing_is_configured_Should_reconcile_every_five_minutes_over_two_days()
    {
        var options = Bind([]);

        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromDays(2)), (options.ReconcileEvery, options.ReconcileLookBack));
    }

    [Theory]
    [InlineData("Agent:Handoffs:ReconcileEvery", "00:00:00.099")]
    [InlineData("Agent:Handoffs:ReconcileEvery", "1.00:00:01")]
    [InlineData("Agent:Handoffs:ReconcileLookBack", "00:59:59")]
    [InlineData("Agent:Handoffs:ReconcileLookBack", "30.00:00:01")]
    public void When_a_setting_is_out_of_range_Should_refuse_to_start_naming_it(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(failure.Failures, f => f.Contains(key[(key.LastIndexOf(':') + 1)..], StringComparison.Ordinal));
    }

    private static HandoffReconcileOptions Bind(Dictionary<string, string?> settings) => BoundOptions.Of<HandoffReconcileOptions>(settings, services => services.AddHandoffs());
}

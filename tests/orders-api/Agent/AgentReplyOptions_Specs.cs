using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The <c>Agent:Replies</c> settings as <see cref="AgentModule.AddOrderAgent"/> binds and checks them.</summary>
public sealed class AgentReplyOptions_Specs
{
    [Fact]
    public void When_nothing_is_configured_Should_take_a_claim_over_after_two_minutes_five_times_at_most()
    {
        var options = Bind([]);

        Assert.Equal((TimeSpan.FromMinutes(2), 5), (options.RewriteAfter, options.MaxAttempts));
    }

    [Theory]
    [InlineData("Agent:Replies:MaxAttempts", "0")]
    [InlineData("Agent:Replies:RewriteAfter", "00:00:00")]
    [InlineData("Agent:Replies:SweepBatchSize", "0")]
    public void When_a_setting_is_out_of_range_Should_refuse_to_start_naming_it(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(failure.Failures, f => f.Contains(key[(key.LastIndexOf(':') + 1)..], StringComparison.Ordinal));
    }

    private static AgentReplyOptions Bind(Dictionary<string, string?> settings) => BoundOptions.Of<AgentReplyOptions>(settings, services => services.AddOrderAgent());
}

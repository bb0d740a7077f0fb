using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The <c>Agent:AnswerLimit</c> settings as <see cref="AgentModule.AddOrderAgent"/> binds and checks them.</summary>
public sealed class AnswerLimitOptions_Specs
{
    [Fact]
    public void When_nothing_is_configured_Should_answer_one_sender_five_times_and_strangers_ten_times_a_day_on_an_order()
    {
        var options = Bind([]);

        Assert.Equal((5, 10, TimeSpan.FromHours(24)), (options.MaxAnswers, options.MaxStrangerAnswers, options.Window));
    }

    [Theory]
    [InlineData("Agent:AnswerLimit:MaxAnswers", "0")]
    [InlineData("Agent:AnswerLimit:MaxAnswers", "1001")]
    [InlineData("Agent:AnswerLimit:MaxStrangerAnswers", "0")]
    [InlineData("Agent:AnswerLimit:MaxStrangerAnswers", "1001")]
    [InlineData("Agent:AnswerLimit:Window", "00:00:59")]
    [InlineData("Agent:AnswerLimit:Window", "31.00:00:00")]
    public void When_a_setting_is_out_of_range_Should_refuse_to_start_naming_it(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(failure.Failures, f => f.Contains(key[(key.LastIndexOf(':') + 1)..], StringComparison.Ordinal));
    }

    private static AnswerLimitOptions Bind(Dictionary<string, string?> settings) => BoundOptions.Of<AnswerLimitOptions>(settings, services => services.AddOrderAgent());
}

using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>Each intent gets its own answer; what only a person can do is labelled needs-action and said to be passed on.</summary>
public sealed class AgentIntent_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    [Theory]
    [InlineData("Where is my order?", "Hi, has it shipped yet? When will it arrive?", "Your order is placed")]
    [InlineData("Please cancel", "I would like to cancel my order, please.", "I cannot cancel orders myself")]
    [InlineData("Wrong address", "I moved house, can you change the delivery address to 1 New Street?", "I cannot change addresses myself")]
    [InlineData("Refund", "The mug arrived broken, I want a refund.", "I cannot start returns or refunds myself")]
    [InlineData("Return", "Can I return it? I changed my mind.", "I cannot start returns or refunds myself")]
    [InlineData("Thanks", "Lovely shop, thank you!", "Your message is kept with your order")]
    [InlineData("Broken mug", "The mug arrived broken, please send a replacement.", "I cannot put it right myself")]
    public async Task Each_intent_Should_get_its_answer_with_the_orders_facts(string subject, string text, string answer)
    {
        var orderId = await _scenario.PlaceOrderAsync();

        await _scenario.DeliverAsync(ConversationScenario.Routed(orderId, subject: subject, text: text));

        var body = _scenario.ReplyFile(orderId).GetProperty("body").GetString()!;
        Assert.Contains(answer, body, StringComparison.Ordinal);
        Assert.Contains(await _scenario.OrderRefAsync(orderId), body, StringComparison.Ordinal);
        Assert.DoesNotContain("ships", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Please cancel", "Cancel my order please.", true)]
    [InlineData("Address", "Please update my shipping address.", true)]
    [InlineData("Refund", "I want my money back.", true)]
    [InlineData("Broken", "The mug arrived broken, please send a replacement.", true)]
    [InlineData("Missing item", "My parcel was delivered yesterday but one item is missing.", true)]
    [InlineData("Hello", "I've been charged twice, I'm contacting my bank and a lawyer.", true)]
    [InlineData("Where is my order?", "Any tracking number?", false)]
    [InlineData("Hello", "I do NOT want to cancel, just tell me when it arrives.", false)]
    [InlineData("Hello", "I just returned from holiday and it still isn't here.", false)]
    [InlineData("Hello", "Just saying hi.", false)]
    public async Task A_request_only_a_person_can_do_Should_be_labelled_needs_action(string subject, string text, bool needsAction)
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = ConversationScenario.Routed(orderId, subject: subject, text: text);

        await _scenario.DeliverAsync(routed);

        Assert.Equal(needsAction ? [AgentLabels.NeedsAction] : [], await _scenario.LabelsAsync(routed));
        var body = _scenario.ReplyFile(orderId).GetProperty("body").GetString()!;
        Assert.Equal(needsAction, body.Contains("passed your request to our team", StringComparison.Ordinal));
        Assert.False(needsAction && body.Contains("preparing it", StringComparison.Ordinal), "a request for a person was told the order is being prepared");
    }
}

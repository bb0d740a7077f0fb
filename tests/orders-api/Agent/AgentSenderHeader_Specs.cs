using System.Text.Json;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// The From header as mail clients write it (AgentMail's <c>from</c>): the order's address under any RFC 5322 display
/// name is its customer, and a header naming several mailboxes is nobody's.
/// </summary>
public sealed class AgentSenderHeader_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    /// <summary>System.Net.Mail refused the quoted word, so the customer's message got no answer at all.</summary>
    [Fact]
    public async Task When_the_orders_address_writes_under_a_name_with_a_quoted_word_Should_verify_it_and_answer_with_the_orders_facts()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId, "Jane \"JD\" Doe <jane.doe@example.com>");

        await _scenario.DeliverAsync(routed);

        var reply = _scenario.ReplyFile(orderId);
        var body = reply.GetProperty("body").GetString()!;
        Assert.Equal(["jane.doe@example.com"], reply.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(await _scenario.OrderRefAsync(orderId), body, StringComparison.Ordinal);
        Assert.Contains("Total: 19.00 EUR", body, StringComparison.Ordinal);
        Assert.Empty(await _scenario.LabelsAsync(routed));
        Assert.True(Inbound(await ConversationScenario.AllMessagesAsync(owner, orderId)).GetProperty("sender_verified").GetBoolean());
    }

    /// <summary>System.Net.Mail took the last of the mailboxes, so whoever wrote first was answered as the customer.</summary>
    [Fact]
    public async Task When_the_from_header_names_two_mailboxes_the_last_the_orders_Should_not_verify_it_nor_tell_anyone_the_orders_facts()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId, "Mallory <mallory@attacker.test>, Jane Doe <jane.doe@example.com>");

        await _scenario.DeliverAsync(routed);

        Assert.Empty(_scenario.ReplyFiles(orderId));
        Assert.False(Inbound(await ConversationScenario.AllMessagesAsync(owner, orderId)).GetProperty("sender_verified").GetBoolean());
    }

    private static JsonElement Inbound(IReadOnlyList<JsonElement> messages) =>
        Assert.Single(messages, m => m.GetProperty("direction").GetString() == "inbound");
}

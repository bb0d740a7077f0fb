using System.Security.Cryptography;
using System.Text.Json;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// The From header as mail clients write it (AgentMail's <c>from</c>): the order's address under any RFC 5322 display
/// name is its customer, a header naming several mailboxes is nobody's, and an address longer than mail can be sent to
/// is no one's to answer.
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

    /// <summary>
    /// Its claim's sender was past what PostgreSQL's index on agent_replies takes (54000), so the message's recording
    /// rolled back at every retry and it ended in the error queue: never on the order, no person told.
    /// </summary>
    [Fact]
    public async Task When_the_from_address_is_longer_than_mail_can_be_sent_to_Should_record_it_and_hand_it_to_a_person_unanswered()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var from = $"Someone <{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 5_000)}@example.com>";
        var routed = ConversationScenario.Routed(orderId, from);

        await _scenario.DeliverAsync(routed);

        var recorded = Inbound(await ConversationScenario.AllMessagesAsync(owner, orderId));
        Assert.Equal(from, recorded.GetProperty("from").GetString());
        Assert.False(recorded.GetProperty("sender_verified").GetBoolean());
        Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(routed));
        Assert.Empty(_scenario.ReplyFiles(orderId));
        using var ops = fixture.Api.CreateClient().WithOpsKey();
        var handoff = Assert.Single(await HandoffsHttp.AllOpenAsync(ops), h => h.GetProperty("order_id").GetGuid() == orderId);
        Assert.Equal(("sender_address_too_long", false), (handoff.GetProperty("reason").GetString(), handoff.GetProperty("answered").GetBoolean()));
        var errors = await fixture.Infrastructure.Management.GetQueueAsync(fixture.Infrastructure.VirtualHost, "orders-api-conversation_error");
        Assert.True(errors is null or { Messages: null or 0 }, $"The message went to the error queue: {errors}");
    }

    private static JsonElement Inbound(IReadOnlyList<JsonElement> messages) =>
        Assert.Single(messages, m => m.GetProperty("direction").GetString() == "inbound");
}

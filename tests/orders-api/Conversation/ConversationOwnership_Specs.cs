using System.Net;
using OrdersMail.OrdersApi.Tests.Support;
using static OrdersMail.OrdersApi.Tests.Conversation.ConversationHttp;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary>An order's conversation is its owner's alone: to anyone else it does not exist.</summary>
public sealed class ConversationOwnership_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    [Fact]
    public async Task When_another_user_reads_lists_or_changes_the_messages_Should_answer_404_each_time_and_change_nothing()
    {
        using var owner = await _scenario.NewUserAsync();
        using var stranger = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var id = IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId)));

        var answers = new[]
        {
            await stranger.GetAsync(Messages(orderId)),
            await stranger.GetAsync(Messages(orderId, "/unread-count")),
            await stranger.GetAsync(Message(orderId, id)),
            await PatchAsync(stranger, Message(orderId, id, "labels"), new { add = Labels("mine") }),
            await PatchAsync(stranger, Message(orderId, id, "read"), new { is_read = true }),
            await PatchAsync(stranger, Message(orderId, id, "archive"), new { archived = true }),
        };

        foreach (var answer in answers)
        {
            await ProblemAsync(answer, HttpStatusCode.NotFound);
        }

        var unchanged = await OkAsync(await owner.GetAsync(Message(orderId, id)));
        Assert.Empty(LabelsOf(unchanged));
        Assert.False(unchanged.GetProperty("is_read").GetBoolean());
        Assert.False(unchanged.GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task When_the_order_does_not_exist_Should_answer_404_as_for_another_users_order()
    {
        using var user = await _scenario.NewUserAsync();
        var unknown = Guid.NewGuid();

        var list = await ProblemAsync(await user.GetAsync(Messages(unknown)), HttpStatusCode.NotFound);
        await ProblemAsync(await user.GetAsync(Messages(unknown, "/unread-count")), HttpStatusCode.NotFound);
        await ProblemAsync(await user.GetAsync(Message(unknown, Guid.NewGuid())), HttpStatusCode.NotFound);
        await ProblemAsync(await PatchAsync(user, Message(unknown, Guid.NewGuid(), "read"), new { is_read = true }), HttpStatusCode.NotFound);

        using var owner = await _scenario.NewUserAsync();
        var theirs = await ProblemAsync(await user.GetAsync(Messages(await ConversationScenario.PlaceOrderAsync(owner))), HttpStatusCode.NotFound);
        Assert.Equal(list.GetProperty("title").GetString(), theirs.GetProperty("title").GetString());
    }

    [Fact]
    public async Task When_nobody_is_signed_in_Should_answer_401()
    {
        using var anonymous = fixture.Api.CreateClient();

        var answer = await anonymous.GetAsync(Messages(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }
}

using System.Net;
using System.Text.Json;
using OrdersMail.OrdersApi.Tests.Support;
using static OrdersMail.OrdersApi.Tests.Conversation.ConversationHttp;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary><c>GET /api/orders/{id}/messages</c>: order, pages and filters; and <c>GET .../messages/{messageId}</c>.</summary>
public sealed class MessageListing_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    [Fact]
    public async Task When_listing_Should_answer_oldest_first_whatever_the_order_of_arrival()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);

        await _scenario.DeliverAsync(
            owner,
            orderId,
            ConversationScenario.Routed(orderId, subject: "third", receivedAt: ConversationScenario.Start.AddMinutes(3)),
            ConversationScenario.Routed(orderId, subject: "first", receivedAt: ConversationScenario.Start.AddMinutes(1)),
            ConversationScenario.Routed(orderId, subject: "second", receivedAt: ConversationScenario.Start.AddMinutes(2)));

        Assert.Equal(["first", "second", "third"], Subjects(await ListAsync(owner, orderId)));
    }

    [Fact]
    public async Task When_paging_Should_follow_the_cursor_through_every_message_once_and_end_without_one()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);

        // Two share a received_at: the id decides between them, and the cursor must not skip or repeat either.
        await _scenario.DeliverAsync(
            owner,
            orderId,
            [.. Enumerable.Range(0, 5).Select(i => ConversationScenario.Routed(orderId, subject: $"m{i}", receivedAt: ConversationScenario.Start.AddMinutes(Math.Min(i, 3))))]);

        var pages = new List<IReadOnlyList<string>>();
        var query = "?limit=2";
        while (true)
        {
            var page = await OkAsync(await owner.GetAsync(Messages(orderId, query)));
            pages.Add(Subjects(page));
            if (!page.TryGetProperty("next_cursor", out var next))
            {
                break;
            }

            query = $"?limit=2&cursor={Uri.EscapeDataString(next.GetString()!)}";
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        Assert.Equal(Subjects(await ListAsync(owner, orderId)), pages.SelectMany(p => p));
        Assert.Equal(5, pages.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public async Task When_no_limit_is_given_Should_answer_pages_of_50()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        await _scenario.DeliverAsync(owner, orderId, [.. Enumerable.Range(0, 51).Select(i => ConversationScenario.Routed(orderId, subject: $"m{i}", receivedAt: ConversationScenario.Start.AddSeconds(i)))]);

        var page = await OkAsync(await owner.GetAsync(Messages(orderId)));

        Assert.Equal(50, page.GetProperty("messages").GetArrayLength());
        Assert.True(page.TryGetProperty("next_cursor", out _));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("q=", "q")]
    [InlineData("is_read=perhaps", "is_read")]
    [InlineData("include_archived=yes", "include_archived")]
    [InlineData("verified_only=1", "verified_only")]
    public async Task When_a_query_parameter_is_invalid_Should_answer_400_naming_it(string query, string name)
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);

        var problem = await InvalidAsync(await owner.GetAsync(Messages(orderId, "?" + query)), name);

        Assert.Contains(name, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_cursor_is_of_another_orders_messages_or_another_users_Should_answer_400_naming_it()
    {
        using var owner = await _scenario.NewUserAsync();
        using var stranger = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var otherOrderId = await ConversationScenario.PlaceOrderAsync(owner);
        await _scenario.DeliverAsync(
            owner,
            orderId,
            ConversationScenario.Routed(orderId, receivedAt: ConversationScenario.Start.AddMinutes(1)),
            ConversationScenario.Routed(orderId, receivedAt: ConversationScenario.Start.AddMinutes(2)));
        var cursor = Uri.EscapeDataString((await OkAsync(await owner.GetAsync(Messages(orderId, "?limit=1")))).GetProperty("next_cursor").GetString()!);

        await InvalidAsync(await owner.GetAsync(Messages(otherOrderId, $"?cursor={cursor}")), "cursor");
        await InvalidAsync(await stranger.GetAsync(Messages(orderId, $"?cursor={cursor}")), "cursor");
        await OkAsync(await owner.GetAsync(Messages(orderId, $"?cursor={cursor}")));
    }

    [Theory]
    [InlineData("REFUND", "Refund request")]
    [InlineData("tracking NUMBER", "tracking number")]
    [InlineData("@Returns.Example", "returns address")]
    [InlineData("50%_off", "percent and underscore")]
    public async Task When_q_is_given_Should_list_messages_whose_subject_preview_or_sender_contains_it_ignoring_case(string q, string expected)
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        await _scenario.DeliverAsync(
            owner,
            orderId,
            ConversationScenario.Routed(orderId, subject: "Refund request"),
            ConversationScenario.Routed(orderId, subject: "tracking number", text: "Could you send the Tracking Number please?"),
            ConversationScenario.Routed(orderId, subject: "returns address", from: "Jane <jane@returns.example>"),
            ConversationScenario.Routed(orderId, subject: "percent and underscore", text: "Is the 50%_off code still valid?"),
            ConversationScenario.Routed(orderId, subject: "unrelated", text: "50 percent off"));

        Assert.Equal([expected], Subjects(await ListAsync(owner, orderId, $"?q={Uri.EscapeDataString(q)}")));
    }

    [Fact]
    public async Task When_filtering_by_label_read_state_or_verification_Should_list_only_matching_messages()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner, "jane.doe@example.com");
        var messages = await _scenario.DeliverAsync(
            owner,
            orderId,
            ConversationScenario.Routed(orderId, subject: "labelled", receivedAt: ConversationScenario.Start.AddMinutes(1)),
            ConversationScenario.Routed(orderId, subject: "read", receivedAt: ConversationScenario.Start.AddMinutes(2)),
            ConversationScenario.Routed(orderId, subject: "stranger", from: "someone@else.example", receivedAt: ConversationScenario.Start.AddMinutes(3)));
        await OkAsync(await PatchAsync(owner, Message(orderId, IdOf(messages[0]), "labels"), new { add = Labels("vip", "refund") }));
        await OkAsync(await PatchAsync(owner, Message(orderId, IdOf(messages[1]), "read"), new { is_read = true }));

        Assert.Equal(["labelled"], Subjects(await ListAsync(owner, orderId, "?label=refund")));
        Assert.Empty(Subjects(await ListAsync(owner, orderId, "?label=Refund")));
        Assert.Equal(["read"], Subjects(await ListAsync(owner, orderId, "?is_read=true")));
        Assert.Equal(["labelled", "stranger"], Subjects(await ListAsync(owner, orderId, "?is_read=false")));
        Assert.Equal(["labelled", "read"], Subjects(await ListAsync(owner, orderId, "?verified_only=true")));
        Assert.Equal(["labelled", "read", "stranger"], Subjects(await ListAsync(owner, orderId, "?verified_only=false")));
        Assert.Equal(["labelled"], Subjects(await ListAsync(owner, orderId, "?is_read=false&verified_only=true&label=vip")));
    }

    [Fact]
    public async Task When_a_message_is_archived_Should_be_hidden_unless_archived_ones_are_asked_for()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var messages = await _scenario.DeliverAsync(
            owner,
            orderId,
            ConversationScenario.Routed(orderId, subject: "kept", receivedAt: ConversationScenario.Start.AddMinutes(1)),
            ConversationScenario.Routed(orderId, subject: "archived", receivedAt: ConversationScenario.Start.AddMinutes(2)));

        var archived = await OkAsync(await PatchAsync(owner, Message(orderId, IdOf(messages[1]), "archive"), new { archived = true }));

        Assert.True(archived.GetProperty("archived").GetBoolean());
        Assert.Equal(["kept"], Subjects(await ListAsync(owner, orderId)));
        Assert.Equal(["kept"], Subjects(await ListAsync(owner, orderId, "?include_archived=false")));
        Assert.Equal(["kept", "archived"], Subjects(await ListAsync(owner, orderId, "?include_archived=true")));
    }

    [Fact]
    public async Task When_one_message_is_asked_for_Should_answer_it_with_its_body()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId, text: "Line one\n\nLine two");
        var listed = await _scenario.DeliverAsync(owner, routed);

        var message = await OkAsync(await owner.GetAsync(Message(orderId, IdOf(listed))));

        Assert.Equal("Line one\n\nLine two", message.GetProperty("body").GetString());
        Assert.Equal(routed.MessageId, message.GetProperty("message_id").GetString());
        Assert.Equal("Line one Line two", message.GetProperty("preview").GetString());
    }

    [Fact]
    public async Task When_the_message_is_in_another_order_or_does_not_exist_Should_answer_404()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var otherOrderId = await ConversationScenario.PlaceOrderAsync(owner);
        var listed = await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId));

        await ProblemAsync(await owner.GetAsync(Message(otherOrderId, IdOf(listed))), HttpStatusCode.NotFound);
        await ProblemAsync(await owner.GetAsync(Message(orderId, Guid.NewGuid())), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_the_order_has_no_messages_Should_answer_an_empty_last_page()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);

        var page = await OkAsync(await owner.GetAsync(Messages(orderId)));

        Assert.Equal(0, page.GetProperty("messages").GetArrayLength());
        Assert.False(page.TryGetProperty("next_cursor", out _));
    }

    private static async Task<JsonElement> ListAsync(HttpClient owner, Guid orderId, string query = "") =>
        await OkAsync(await owner.GetAsync(Messages(orderId, query)));

    private static List<string> Subjects(JsonElement page) =>
        [.. page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("subject").GetString()!)];
}

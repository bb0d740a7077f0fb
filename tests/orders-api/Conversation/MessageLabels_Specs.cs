using System.Net;
using OrdersMail.OrdersApi.Tests.Support;
using static OrdersMail.OrdersApi.Tests.Conversation.ConversationHttp;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary><c>PATCH /api/orders/{id}/messages/{messageId}/labels</c>: one change, add then remove, within the rules.</summary>
public sealed class MessageLabels_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    [Fact]
    public async Task When_labels_are_added_and_removed_Should_add_then_remove_each_once_and_answer_the_message()
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);
        await OkAsync(await PatchAsync(owner, url, new { add = Labels("vip", "urgent") }));

        var message = await OkAsync(await PatchAsync(owner, url, new { add = Labels("refund", "vip", "refund", "later"), remove = Labels("urgent", "later", "absent") }));

        Assert.Equal(["vip", "refund"], LabelsOf(message));
        Assert.Equal(["vip", "refund"], LabelsOf(await OkAsync(await owner.GetAsync(url[..^"/labels".Length]))));
        Assert.True(message.TryGetProperty("body", out _));
    }

    [Fact]
    public async Task When_only_remove_is_given_Should_remove()
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);
        await OkAsync(await PatchAsync(owner, url, new { add = Labels("a", "b") }));

        Assert.Equal(["b"], LabelsOf(await OkAsync(await PatchAsync(owner, url, new { remove = Labels("a") }))));
    }

    [Theory]
    [InlineData("", "1 to 64 characters")]
    [InlineData("   ", "only whitespace")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1 to 64 characters")]
    public async Task When_a_label_breaks_a_rule_Should_answer_400_naming_the_rule_and_change_nothing(string label, string rule)
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);
        await OkAsync(await PatchAsync(owner, url, new { add = Labels("kept") }));

        var problem = await InvalidAsync(await PatchAsync(owner, url, new { add = Labels("fine", label), remove = Labels("kept") }), "add[1]");

        Assert.Contains(rule, problem, StringComparison.Ordinal);
        Assert.Equal(["kept"], await LabelsAsync(owner, url));
    }

    [Fact]
    public async Task When_a_message_would_have_21_labels_Should_answer_400_naming_the_limit_and_change_nothing()
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);
        await OkAsync(await PatchAsync(owner, url, new { add = Numbered(15) }));

        var problem = await InvalidAsync(await PatchAsync(owner, url, new { add = Numbered(21) }), "labels");

        Assert.Contains("at most 20 labels", problem, StringComparison.Ordinal);
        Assert.Contains("21", problem, StringComparison.Ordinal);
        Assert.Equal(Numbered(15), await LabelsAsync(owner, url));
    }

    [Fact]
    public async Task When_a_change_removes_as_many_as_it_adds_Should_allow_20_labels_after_it()
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);
        await OkAsync(await PatchAsync(owner, url, new { add = Numbered(20) }));

        var message = await OkAsync(await PatchAsync(owner, url, new { add = Labels("new"), remove = Labels("label-0") }));

        Assert.Equal(20, LabelsOf(message).Count);
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("""{"add":"vip"}""", "add")]
    [InlineData("""{"add":[1]}""", "add[0]")]
    [InlineData("not json", "body")]
    [InlineData("", "body")]
    public async Task When_the_body_is_not_a_label_change_Should_answer_400_saying_what_is_wrong(string body, string key)
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);

        await InvalidAsync(await PatchRawAsync(owner, url, body), key);
    }

    [Fact]
    public async Task When_changes_arrive_at_once_Should_keep_every_one_of_them()
    {
        using var owner = await _scenario.NewUserAsync();
        var url = await LabelsUrlAsync(owner);

        var answers = await Task.WhenAll(Numbered(12).Select(label => PatchAsync(owner, url, new { add = Labels(label) })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(Numbered(12).Order(), (await LabelsAsync(owner, url)).Order());
    }

    private static string[] Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => $"label-{i}")];

    private static async Task<IReadOnlyList<string>> LabelsAsync(HttpClient owner, string labelsUrl) =>
        LabelsOf(await OkAsync(await owner.GetAsync(labelsUrl[..^"/labels".Length])));

    private async Task<string> LabelsUrlAsync(HttpClient owner)
    {
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var message = await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId));
        return Message(orderId, IdOf(message), "labels");
    }
}

using System.Text.Json;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Tests.Conversation;

public sealed class LabelChange_Specs
{
    [Fact]
    public void When_applied_Should_add_then_remove_keeping_each_label_once_in_the_order_it_came()
    {
        var change = new LabelChange(Add: ["refund", "vip", "refund", "later"], Remove: ["later", "spam", "urgent"]);

        Assert.Equal(["vip", "refund"], change.ApplyTo(["vip", "urgent"]));
    }

    [Fact]
    public void When_labels_differ_only_in_case_Should_keep_both() =>
        Assert.Equal(["VIP", "vip"], new LabelChange(["vip"], []).ApplyTo(["VIP"]));

    [Fact]
    public void When_the_body_has_add_or_remove_Should_read_them()
    {
        Assert.True(LabelChange.TryParse(Body("""{"add":["a","b"],"remove":["c"]}"""), out var both, out _));
        Assert.Equal(["a", "b"], both.Add);
        Assert.Equal(["c"], both.Remove);

        Assert.True(LabelChange.TryParse(Body("""{"remove":["c"]}"""), out var removeOnly, out _));
        Assert.Empty(removeOnly.Add);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"add":null}""")]
    [InlineData("""{"labels":["a"]}""")]
    [InlineData("[]")]
    public void When_the_body_has_neither_add_nor_remove_Should_say_so(string json)
    {
        Assert.False(LabelChange.TryParse(Body(json), out _, out var errors));
        Assert.Equal(LabelChange.NothingToChange, Assert.Single(errors["body"]));
    }

    [Theory]
    [InlineData("""{"add":"vip"}""", "add")]
    [InlineData("""{"remove":{"a":1}}""", "remove")]
    [InlineData("""{"add":["ok",3]}""", "add[1]")]
    public void When_a_list_or_label_is_of_the_wrong_type_Should_name_where(string json, string key)
    {
        Assert.False(LabelChange.TryParse(Body(json), out _, out var errors));
        Assert.Equal([key], errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void When_a_label_to_add_is_empty_or_blank_Should_name_the_rule(string label)
    {
        Assert.False(LabelChange.TryParse(Body(JsonSerializer.Serialize(new { add = new[] { "fine", label } })), out _, out var errors));
        var problem = Assert.Single(errors["add[1]"]);
        Assert.Equal(label.Length == 0 ? LabelRules.LengthRule : LabelRules.BlankRule, problem);
    }

    [Fact]
    public void When_a_label_is_65_characters_Should_name_the_length_rule()
    {
        Assert.Equal(LabelRules.LengthRule, LabelRules.Problem(new string('x', 65)));
        Assert.Contains("1 to 64 characters", LabelRules.LengthRule, StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_label_is_64_characters_even_beyond_the_basic_plane_Should_be_valid()
    {
        Assert.Null(LabelRules.Problem(new string('x', 64)));
        Assert.Null(LabelRules.Problem(string.Concat(Enumerable.Repeat("\U0001F4E6", 64))));
        Assert.Null(LabelRules.Problem("needs review"));
    }

    [Fact]
    public void When_a_label_to_remove_breaks_the_rules_Should_still_be_removable()
    {
        Assert.True(LabelChange.TryParse(Body(JsonSerializer.Serialize(new { remove = new[] { new string('x', 65) } })), out var change, out _));
        Assert.Empty(change.ApplyTo([new string('x', 65)]));
    }

    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Tests.Conversation;

public sealed class MessagePreview_Specs
{
    [Fact]
    public void When_the_text_has_line_breaks_and_runs_of_spaces_Should_be_one_line_with_single_spaces() =>
        Assert.Equal("Hi, where is my order? Thanks, Jane", MessagePreview.Of("\r\n  Hi,\twhere is   my order?\r\n\r\nThanks,\n Jane \n"));

    [Fact]
    public void When_the_text_is_long_Should_keep_its_first_140_characters()
    {
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => $"word{i} "));

        var preview = MessagePreview.Of(text);

        Assert.Equal(MessagePreview.MaxLength, preview.Length);
        Assert.StartsWith(preview, text, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_cut_falls_inside_an_emoji_Should_drop_the_whole_emoji()
    {
        var text = new string('a', MessagePreview.MaxLength - 1) + "\U0001F600 more";

        Assert.Equal(new string('a', MessagePreview.MaxLength - 1), MessagePreview.Of(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    public void When_the_text_is_blank_Should_be_empty(string text) => Assert.Equal("", MessagePreview.Of(text));
}

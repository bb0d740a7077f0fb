using OrdersMail.BuildingBlocks.Text;

namespace OrdersMail.BuildingBlocks.Tests.Text;

/// <summary>A text's start cut to a length in UTF-16 code units, never ending on the first half of a surrogate pair.</summary>
public sealed class TextCut_Specs
{
    [Theory]
    [InlineData("hello", 5, "hello")]
    [InlineData("hello", 9, "hello")]
    [InlineData("hello", 3, "hel")]
    [InlineData("hello", 0, "")]
    [InlineData("ab\U0001F600", 3, "ab")]
    [InlineData("ab\U0001F600", 4, "ab\U0001F600")]
    [InlineData("a\U0001F600b", 3, "a\U0001F600")]
    [InlineData("\U0001F600", 1, "")]
    public void Start_Should_keep_at_most_the_length_and_no_lone_first_half(string text, int length, string expected) =>
        Assert.Equal(expected, TextCut.Start(text, length).ToString());

    [Theory]
    [InlineData("hello", 5, "hello")]
    [InlineData("hello world", 5, "hello…")]
    [InlineData("ab\U0001F600\U0001F600", 3, "ab…")]
    public void Marked_Should_mark_only_a_text_that_was_cut(string text, int length, string expected) =>
        Assert.Equal(expected, TextCut.Marked(text, length, "…"));

    [Fact]
    public void Start_Should_refuse_a_negative_length() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TextCut.Start("hello", -1).ToString());
}

using OrdersMail.MailSandbox.AgentMail.Messages;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>The fields derived from a message's content: preview, extracted text, reply subject, Message-IDs.</summary>
public sealed class MessageContent_Specs
{
    [Fact]
    public void When_the_text_is_long_or_spans_lines_Should_preview_its_first_100_characters_on_one_line()
    {
        var preview = MessageContent.Preview("Hi,\n\nplease   ship\t20 units. " + new string('x', 200));

        Assert.StartsWith("Hi, please ship 20 units. xxx", preview, StringComparison.Ordinal);
        Assert.Equal(100, preview!.Length);
        Assert.Null(MessageContent.Preview(null));
        Assert.Null(MessageContent.Preview("  \n "));
    }

    [Theory]
    [InlineData("Ship it.\n\nOn Mon, 1 Sep 2026 at 10:00, Acme <o@agentmail.to> wrote:\n> Quote", "Ship it.")]
    [InlineData("Ship it.\n> quoted", "Ship it.")]
    [InlineData("Ship it.\r\n-----Original Message-----\r\nFrom: x", "Ship it.")]
    [InlineData("> only quoted", null)]
    [InlineData("No history here.\nSecond line.", "No history here.\nSecond line.")]
    public void When_a_reply_quotes_its_history_Should_extract_only_the_new_text(string text, string? expected) =>
        Assert.Equal(expected, MessageContent.ExtractedText(text));

    [Theory]
    [InlineData("PO 4821", "Re: PO 4821")]
    [InlineData("Re: PO 4821", "Re: PO 4821")]
    [InlineData("RE: PO 4821", "RE: PO 4821")]
    [InlineData("Fwd: PO 4821", "Re: Fwd: PO 4821")]
    [InlineData(null, null)]
    public void When_replying_Should_prefix_Re_once(string? subject, string? expected) =>
        Assert.Equal(expected, OutgoingEmail.ReplySubject(subject));

    [Theory]
    [InlineData("<a@b>", "<a@b>")]
    [InlineData("a@b", "<a@b>")]
    [InlineData("  <a@b> ", "<a@b>")]
    [InlineData("", null)]
    public void When_a_Message_ID_comes_with_or_without_brackets_Should_normalize_it(string id, string? expected) =>
        Assert.Equal(expected, MessageIds.Normalize(id));
}

using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>What orders-api and the agent are told of an email that came with an HTML body only: its text.</summary>
public sealed class RoutedMessages_Specs
{
    [Fact]
    public void Should_give_an_html_only_email_its_text_without_tags_and_with_entities_decoded()
    {
        var routed = RoutedMessages.Routed(HtmlOnly("<p>Where is <b>my</b> order?</p><p>It costs &lt; 10&nbsp;&euro;</p>"), Guid.NewGuid(), RoutingDecision.ByInboxOrderRef);

        Assert.Equal("Where is  my  order?  It costs < 10\u00a0\u20ac", routed.Text);
    }

    [Fact]
    public void Should_keep_a_less_than_sign_no_tag_closes_as_text()
    {
        var routed = RoutedMessages.Routed(HtmlOnly("<div>1 < 2</div> and 3 < 4"), Guid.NewGuid(), RoutingDecision.ByInboxOrderRef);

        Assert.Equal("1 < 2  and 3 < 4", routed.Text);
    }

    // The sender writes the body. The regex this was (<[^>]*>) scanned again from every '<' with no '>' after it:
    // 4 MB of them took minutes of a core, while the batch's claim ran out and other pumps took it up again.
    [Fact(Timeout = 10_000)]
    public async Task Should_read_megabytes_of_unclosed_tags_in_one_pass()
    {
        var html = string.Concat(Enumerable.Repeat("<a", 2_000_000));

        var routed = await Task.Run(() => RoutedMessages.Routed(HtmlOnly(html), Guid.NewGuid(), RoutingDecision.ByInboxOrderRef));

        Assert.Equal(html, routed.Text);
    }

    private static InboundEmailReceived HtmlOnly(string html) =>
        new($"evt_{Guid.NewGuid():N}", "inbox_html", $"<{Guid.NewGuid():N}@customer.example>", "thr_html", "jane@acme.example", "Hello", null, html, null, [],
            DateTimeOffset.UtcNow, null, null, null);
}

using System.Net;
using System.Text;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The text a reader sees in an HTML body, for mail that came with no text part: the conversation, its preview and the
/// agent's prompt read it. Comments and the contents of script, style, title, iframe, noembed and noframes are left out;
/// a block's start or end (br, p, div, li, tr, h1-h6, blockquote and the like) is a line break, runs of them one break
/// (no blank lines); a table cell is a space; other tags are nothing; entities are decoded and whitespace within a line
/// (a no-break space too) collapsed to one space, as a browser lays it out.
/// </summary>
/// <remarks>
/// One forward pass over the tokens, keeping no tree: the sender writes the body and it may nest anything. AngleSharp
/// 1.10.4's HTML5 tree builder took 107 s for 100,000 nested divs (it walks its stack of open elements at each start
/// tag) and HtmlAgilityPack 1.13.0 more than 500 s for 200,000, within AgentMail's 1 MB body; a read-back from AgentMail
/// is not even capped. Tags are read as the HTML5 tokenizer reads them: a '&lt;' starts one only before a letter, '/',
/// '!' or '?'; a quoted attribute value may hold '&gt;'; a tag, comment or raw element left open runs to the end.
/// </remarks>
public static class HtmlText
{
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "title", "iframe", "noembed", "noframes" };
    private static readonly HashSet<string> ShownRaw = new(StringComparer.OrdinalIgnoreCase) { "textarea", "xmp" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "dt", "dd",
        "table", "caption", "hr", "pre", "address", "center", "section", "article", "header", "footer", "aside", "nav",
        "main", "figure", "figcaption", "form", "fieldset", "legend", "details", "summary",
    };

    private static readonly HashSet<string> Cells = new(StringComparer.OrdinalIgnoreCase) { "td", "th" };

    /// <summary>The text of <paramref name="html"/>: lines joined by '\n', none blank, none with spaces at either end.</summary>
    public static string Of(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var text = new Lines(html.Length);
        var at = 0;
        while (at < html.Length)
        {
            var open = TagStart(html, at);
            text.Add(WebUtility.HtmlDecode(html[at..(open < 0 ? html.Length : open)]));
            if (open < 0)
            {
                break;
            }

            at = Markup(html, open, text);
        }

        return text.ToString();
    }

    // Reads the markup at html[open] ('<' and a letter, '/', '!' or '?'); returns where the text after it starts.
    private static int Markup(string html, int open, Lines text)
    {
        if (html.AsSpan(open).StartsWith("<!--"))
        {
            return CommentEnd(html, open + 4);
        }

        if (html[open + 1] is '!' or '?')
        {
            return After(html.IndexOf('>', open), html);
        }

        var isEnd = html[open + 1] == '/';
        var nameStart = open + (isEnd ? 2 : 1);
        var nameEnd = nameStart;
        while (nameEnd < html.Length && html[nameEnd] is not (' ' or '\t' or '\n' or '\f' or '\r' or '/' or '>'))
        {
            nameEnd++;
        }

        var end = TagEnd(html, nameEnd);
        if (end < 0)
        {
            return html.Length;
        }

        var name = html[nameStart..nameEnd];
        if (Blocks.Contains(name))
        {
            text.Break();
        }
        else if (Cells.Contains(name))
        {
            text.Space();
        }

        if (isEnd || !(Hidden.Contains(name) || ShownRaw.Contains(name)))
        {
            return end + 1;
        }

        var close = RawEnd(html, end + 1, name);
        if (ShownRaw.Contains(name))
        {
            var raw = html[(end + 1)..(close < 0 ? html.Length : close)];
            text.Add(name.Equals("textarea", StringComparison.OrdinalIgnoreCase) ? WebUtility.HtmlDecode(raw) : raw);
        }

        return close < 0 ? html.Length : close;
    }

    // A comment ends at "-->", or at once as "<!-->" or "<!--->"; one never closed runs to the end.
    private static int CommentEnd(string html, int from)
    {
        var rest = html.AsSpan(from);
        if (rest.StartsWith(">"))
        {
            return from + 1;
        }

        if (rest.StartsWith("->"))
        {
            return from + 2;
        }

        var close = rest.IndexOf("-->");
        return close < 0 ? html.Length : from + close + 3;
    }

    // The '>' closing a tag whose name ends at from, past quoted attribute values; -1 when the tag never closes.
    private static int TagEnd(string html, int from)
    {
        var at = from;
        while (at < html.Length)
        {
            var next = html.AsSpan(at).IndexOfAny('>', '=');
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (html[at] == '>')
            {
                return at;
            }

            at++;
            while (at < html.Length && html[at] is ' ' or '\t' or '\n' or '\f' or '\r')
            {
                at++;
            }

            if (at < html.Length && html[at] is '"' or '\'')
            {
                var quoteEnd = html.IndexOf(html[at], at + 1);
                if (quoteEnd < 0)
                {
                    return -1;
                }

                at = quoteEnd + 1;
            }
        }

        return -1;
    }

    // Where the end tag of the raw element name starts ("</style" then whitespace, '/' or '>'); -1 when it has none.
    private static int RawEnd(string html, int from, string name)
    {
        var at = from;
        while (html.AsSpan(at).IndexOf("</" + name, StringComparison.OrdinalIgnoreCase) is var found and >= 0)
        {
            var after = at + found + 2 + name.Length;
            if (after == html.Length || html[after] is ' ' or '\t' or '\n' or '\f' or '\r' or '/' or '>')
            {
                return at + found;
            }

            at = after;
        }

        return -1;
    }

    private static int After(int close, string html) => close < 0 ? html.Length : close + 1;

    // A '<' opens markup only before a letter, '/', '!' or '?', as an HTML tokenizer reads it: "1 < 2" is text.
    private static int TagStart(string html, int from)
    {
        while (html.AsSpan(from).IndexOf('<') is var at and >= 0)
        {
            var next = from + at + 1;
            if (next < html.Length && (char.IsAsciiLetter(html[next]) || html[next] is '/' or '!' or '?'))
            {
                return next - 1;
            }

            from = next;
        }

        return -1;
    }

    // The text laid out: HTML whitespace collapses to one space within a line, breaks to one '\n' between lines, and
    // neither is written before the next visible character, so no line starts or ends with either. A no-break space
    // (&nbsp;) is a space here too: Outlook writes an empty paragraph as <p>&nbsp;</p>, which is no line of text.
    private sealed class Lines(int capacity)
    {
        private readonly StringBuilder text = new(capacity);
        private bool space;
        private bool lineBreak;

        public void Space() => space = true;

        public void Break() => lineBreak = true;

        public void Add(string run)
        {
            foreach (var c in run)
            {
                if (c is ' ' or '\t' or '\n' or '\f' or '\r' or '\u00a0')
                {
                    space = true;
                    continue;
                }

                if (text.Length > 0 && (lineBreak || space))
                {
                    text.Append(lineBreak ? '\n' : ' ');
                }

                space = lineBreak = false;
                text.Append(c);
            }
        }

        public override string ToString() => text.ToString();
    }
}

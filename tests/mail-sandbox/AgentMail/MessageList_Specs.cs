using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>Listing an inbox's messages and changing their labels (docs/agentmail.md §1 query encoding, §5).</summary>
public sealed class MessageList_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IDisposable
{
    private readonly MessageApi _api = new(factory);

    [Fact]
    public async Task When_listing_Should_answer_MessageItems_newest_first_or_ascending_when_asked()
    {
        var inbox = await _api.CreateInboxAsync("list-order");
        var ids = new List<string>();
        foreach (var n in new[] { 1, 2, 3 })
        {
            ids.Add((string)(await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = $"PO {n}", text = $"order {n}", html = "<p>x</p>" }))["message_id"]!);
        }

        var newest = await _api.GetOkAsync(MessageApi.Messages(inbox));
        var oldest = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?ascending=true");

        Assert.Equal(3, (int)newest["count"]!);
        Assert.Null(newest["next_page_token"]);
        Assert.Equal(Enumerable.Reverse(ids), IdsOf(newest));
        Assert.Equal(ids, IdsOf(oldest));
        var row = newest["messages"]![0]!.AsObject();
        Assert.Equal("order 3", (string)row["preview"]!);
        foreach (var bodyField in new[] { "text", "html", "extracted_text", "extracted_html", "reply_to" })
        {
            Assert.False(row.ContainsKey(bodyField), $"A list row must not carry {bodyField}.");
        }

        Assert.Equal(inbox, (string)row["inbox_id"]!);
        Assert.NotNull(row["thread_id"]);
        Assert.NotNull(row["size"]);
    }

    [Fact]
    public async Task When_listing_by_labels_Should_require_all_of_them_in_either_array_encoding()
    {
        var inbox = await _api.CreateInboxAsync("list-labels");
        var unread = (string)(await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "unread" }))["message_id"]!;
        var processed = (string)(await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "processed" }))["message_id"]!;
        await _api.Client.PatchAsJsonAsync(MessageApi.Message(inbox, processed), new { add_labels = new List<string> { "processed" }, remove_labels = "unread" });

        var repeated = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=unread&labels=received");
        var json = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels={Uri.EscapeDataString("[\"unread\",\"received\"]")}");
        var both = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=received");
        var none = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?labels=processed&labels=unread");
        var malformed = await _api.Client.GetAsync($"{MessageApi.Messages(inbox)}?labels={Uri.EscapeDataString("[\"unread\"")}");

        Assert.Equal([unread], IdsOf(repeated));
        Assert.Equal([unread], IdsOf(json));
        Assert.Equal([processed, unread], IdsOf(both));
        Assert.Empty(IdsOf(none));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task When_listing_page_by_page_Should_hand_out_tokens_until_the_last_page()
    {
        var inbox = await _api.CreateInboxAsync("list-pages");
        var ids = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            ids.Insert(0, (string)(await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = $"PO {n}" }))["message_id"]!);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _api.GetOkAsync($"{MessageApi.Messages(inbox)}?limit=2{(token is null ? "" : $"&page_token={Uri.EscapeDataString(token)}")}");
            Assert.Equal(2, (int)page["limit"]!);
            seen.AddRange(IdsOf(page));
            token = (string?)page["next_page_token"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);
        var bad = await _api.Client.GetAsync($"{MessageApi.Messages(inbox)}?page_token=not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task When_listing_with_before_and_after_Should_keep_only_messages_between_them()
    {
        var inbox = await _api.CreateInboxAsync("list-window");
        var early = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "early" });
        await Task.Delay(20);
        var middle = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "middle" });
        await Task.Delay(20);
        var late = await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "late" });

        var query = $"?after={Uri.EscapeDataString((string)early["timestamp"]!)}&before={Uri.EscapeDataString((string)late["timestamp"]!)}";
        var between = await _api.GetOkAsync(MessageApi.Messages(inbox) + query);

        Assert.Equal([(string)middle["message_id"]!], IdsOf(between));
    }

    [Fact]
    public async Task When_listing_an_unknown_inbox_Should_answer_404()
    {
        var response = await _api.Client.GetAsync(MessageApi.Messages($"nobody-{Guid.NewGuid():N}@agentmail.to"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task When_patching_labels_Should_add_then_remove_and_answer_the_labels_held()
    {
        var inbox = await _api.CreateInboxAsync("labels");
        var messageId = (string)(await _api.DeliverAsync(inbox, new { from = "jane@acme.example", subject = "PO" }))["message_id"]!;

        var arrays = await _api.Client.PatchAsJsonAsync(MessageApi.Message(inbox, messageId), new { add_labels = new List<string> { "processed", "order" }, remove_labels = new List<string> { "unread" } });
        var strings = await _api.Client.PatchAsJsonAsync($"/agentmail/v0/inboxes/{inbox}/messages/{messageId}", new { add_labels = "archived", remove_labels = "order" });

        Assert.Equal(HttpStatusCode.OK, arrays.StatusCode);
        var first = (await arrays.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(messageId, (string)first["message_id"]!);
        Assert.Equal(["received", "processed", "order"], first["labels"]!.AsArray().Select(l => (string)l!));
        var second = (await strings.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["received", "processed", "archived"], second["labels"]!.AsArray().Select(l => (string)l!));
        var stored = await _api.GetOkAsync(MessageApi.Message(inbox, messageId));
        Assert.Equal(["received", "processed", "archived"], stored["labels"]!.AsArray().Select(l => (string)l!));
    }

    [Fact]
    public async Task When_patching_nothing_a_bad_label_or_an_unknown_message_Should_answer_400_or_404()
    {
        var inbox = await _api.CreateInboxAsync("labels-bad");
        var messageId = (string)(await _api.DeliverAsync(inbox, new { from = "jane@acme.example" }))["message_id"]!;

        var empty = await _api.Client.PatchAsJsonAsync(MessageApi.Message(inbox, messageId), new { });
        var wrongType = await _api.Client.PatchAsJsonAsync(MessageApi.Message(inbox, messageId), new { add_labels = 7 });
        var unknown = await _api.Client.PatchAsJsonAsync(MessageApi.Message(inbox, "<missing@acme.example>"), new { add_labels = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(["add_labels"], (await wrongType.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![0]!["path"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    public void Dispose() => _api.Dispose();

    private static List<string> IdsOf(JsonObject page) => [.. page["messages"]!.AsArray().Select(m => (string)m!["message_id"]!)];
}

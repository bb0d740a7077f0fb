using System.Net;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>GET /v0/inboxes</c>: newest first, <c>limit</c> and <c>page_token</c> pages, <c>ascending</c>, and 400s for bad values.</summary>
public sealed class InboxList_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Inboxes = $"{InboxHttp.V0}/inboxes";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_there_are_no_inboxes_Should_answer_an_empty_page()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Get, Inboxes);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(0, reply.Json["count"]!.GetValue<int>());
        Assert.Empty(reply.Json["inboxes"]!.AsArray());
        Assert.False(reply.Json.ContainsKey("next_page_token"));
    }

    [Fact]
    public async Task When_more_inboxes_than_the_limit_exist_Should_page_them_newest_first()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, 5);

        var first = await client.SendAsync(HttpMethod.Get, $"{Inboxes}?limit=2");
        var second = await client.SendAsync(HttpMethod.Get, $"{Inboxes}?limit=2&page_token={Token(first)}");
        var third = await client.SendAsync(HttpMethod.Get, $"{Inboxes}?limit=2&page_token={Token(second)}");

        Assert.Equal("u5 u4", Usernames(first));
        Assert.Equal("u3 u2", Usernames(second));
        Assert.Equal("u1", Usernames(third));
        Assert.Equal(2, first.Json["count"]!.GetValue<int>());
        Assert.Equal(2, first.Json["limit"]!.GetValue<int>());
        Assert.Equal(1, third.Json["count"]!.GetValue<int>());
        Assert.False(third.Json.ContainsKey("next_page_token"));
    }

    [Fact]
    public async Task When_ascending_Should_page_them_oldest_first()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, 5);

        var first = await client.SendAsync(HttpMethod.Get, $"{Inboxes}?ascending=true&limit=3");
        var second = await client.SendAsync(HttpMethod.Get, $"{Inboxes}?ascending=true&limit=3&page_token={Token(first)}");

        Assert.Equal("u1 u2 u3", Usernames(first));
        Assert.Equal("u4 u5", Usernames(second));
        Assert.False(second.Json.ContainsKey("next_page_token"));
    }

    [Fact]
    public async Task When_every_inbox_fits_Should_answer_one_page_without_a_token()
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, 3);

        var reply = await client.SendAsync(HttpMethod.Get, Inboxes);

        Assert.Equal("u3 u2 u1", Usernames(reply));
        Assert.Equal(3, reply.Json["count"]!.GetValue<int>());
        Assert.False(reply.Json.ContainsKey("next_page_token"));
    }

    [Theory]
    [InlineData("page_token=not-a-sandbox-token", "page_token")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("ascending=sometimes", "ascending")]
    public async Task When_a_query_value_is_invalid_Should_answer_400_validation_error(string query, string path)
    {
        using var client = factory.AgentMail();
        await CreateAsync(client, 1);

        var reply = await client.SendAsync(HttpMethod.Get, $"{Inboxes}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationError", reply.Json["name"]!.GetValue<string>());
        Assert.Equal("validation_error", reply.Json["code"]!.GetValue<string>());
        Assert.Equal(path, reply.FirstIssuePath);
    }

    private static async Task CreateAsync(HttpClient client, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await client.CreateInboxAsync(new { username = $"u{i}" });
        }
    }

    private static string Token(WireReply page) => Uri.EscapeDataString(page.Json["next_page_token"]!.GetValue<string>());

    private static string Usernames(WireReply page)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return string.Join(' ', page.Json["inboxes"]!.AsArray().Select(i => i!["inbox_id"]!.GetValue<string>().Split('@')[0]));
    }
}

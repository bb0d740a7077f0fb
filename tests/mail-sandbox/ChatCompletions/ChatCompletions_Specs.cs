using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.ChatCompletions;

/// <summary>The OpenAI-compatible chat completions stand-in: wire format, key check, recorded prompts, reset and faults.</summary>
public sealed class ChatCompletions_Specs : IAsyncLifetime
{
    private const string Path = "/openai/v1/chat/completions";

    private SandboxFactory Sandbox { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    [Fact]
    public async Task When_asked_Should_answer_in_openai_format_the_same_way_for_the_same_prompt()
    {
        using var client = Client("sk-test");

        var first = await AskAsync(client, "Where is my order?");
        var again = await AskAsync(client, "Where is my order?");
        var other = await AskAsync(client, "Cancel it please");

        Assert.StartsWith("chatcmpl-", first["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", first["object"]!.GetValue<string>());
        Assert.Equal("gpt-test", first["model"]!.GetValue<string>());
        var choice = first["choices"]!.AsArray().Single()!;
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.True(first["usage"]!["total_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(Content(first), Content(again));
        Assert.NotEqual(Content(first), Content(other));
        Assert.StartsWith("[sandbox model]", Content(first), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("am_not_openai")]
    [InlineData("sk-")]
    public async Task Without_an_openai_key_Should_answer_401_and_record_nothing(string? key)
    {
        using var client = Client(key);

        using var response = await client.PostAsJsonAsync(Path, Request("hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]);
        Assert.Empty(await RequestsAsync());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"gpt-test","messages":[]}""")]
    [InlineData("""{"model":"gpt-test","messages":[{"role":"user"}]}""")]
    [InlineData("""{"model":"gpt-test""")]
    public async Task A_malformed_request_Should_answer_400(string body)
    {
        using var client = Client("sk-test");

        using var response = await client.PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Every_request_Should_be_listed_with_its_messages_until_reset()
    {
        using var client = Client("sk-test");
        await AskAsync(client, "first question");
        await AskAsync(client, "second question");

        var requests = await RequestsAsync();
        using var control = Sandbox.CreateClient();
        (await control.PostAsync("/sandbox/reset", null)).EnsureSuccessStatusCode();

        Assert.Equal(["first question", "second question"], requests.Select(r => r!["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>()));
        Assert.Equal("system", requests[0]!["messages"]!.AsArray()[0]!["role"]!.GetValue<string>());
        Assert.Equal("gpt-test", requests[0]!["model"]!.GetValue<string>());
        Assert.Empty(await RequestsAsync());
    }

    /// <summary>A model bounded by max_tokens stops there mid-answer and says so, as OpenAI's does; the bound is recorded.</summary>
    [Fact]
    public async Task An_answer_longer_than_max_tokens_Should_be_cut_there_and_end_with_finish_reason_length()
    {
        using var client = Client("sk-test");
        await Sandbox.AddFaultAsync(new { api = "openai", operation = "chat.completions", answer_content = "one two three four five", times = 1 });

        using var response = await client.PostAsJsonAsync(Path, new { model = "gpt-test", messages = new[] { new { role = "user", content = "hello" } }, max_tokens = 3 });
        var cut = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var whole = await AskAsync(client, "hello");

        Assert.Equal("one two three", Content(cut));
        Assert.Equal("length", cut["choices"]!.AsArray()[0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("stop", whole["choices"]!.AsArray()[0]!["finish_reason"]!.GetValue<string>());
        var requests = await RequestsAsync();
        Assert.Equal(3, requests[0]!["max_tokens"]!.GetValue<int>());
        Assert.Null(requests[1]!["max_tokens"]);
    }

    [Fact]
    public async Task An_error_fault_Should_answer_with_openais_error_body_then_wear_off()
    {
        using var client = Client("sk-test");
        await Sandbox.AddFaultAsync(new { api = "openai", operation = "chat.completions", error_status = 500, times = 1 });

        using var failed = await client.PostAsJsonAsync(Path, Request("hello"));
        using var answered = await client.PostAsJsonAsync(Path, Request("hello"));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("server_error", (await failed.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task A_hang_fault_Should_leave_the_client_without_an_answer_until_it_gives_up()
    {
        using var client = Client("sk-test");
        client.Timeout = TimeSpan.FromSeconds(1);
        await Sandbox.AddFaultAsync(new { api = "openai", operation = "chat.completions", hang = true, times = 1 });

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TaskCanceledException>(() => client.PostAsJsonAsync(Path, Request("hello")));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"gave up after {clock.Elapsed}");
    }

    private static object Request(string question) => new
    {
        model = "gpt-test",
        messages = new[] { new { role = "system", content = "You answer customers." }, new { role = "user", content = question } },
    };

    private static string Content(JsonObject answer) => answer["choices"]!.AsArray()[0]!["message"]!["content"]!.GetValue<string>();

    private static async Task<JsonObject> AskAsync(HttpClient client, string question)
    {
        using var response = await client.PostAsJsonAsync(Path, Request(question));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private HttpClient Client(string? key)
    {
        var client = Sandbox.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private async Task<JsonArray> RequestsAsync()
    {
        using var control = Sandbox.CreateClient();
        var body = await control.GetFromJsonAsync<JsonObject>("/sandbox/chat-completions/requests");
        return body!["requests"]!.AsArray();
    }
}

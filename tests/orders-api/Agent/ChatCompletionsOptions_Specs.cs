using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The <c>Agent:ChatCompletions</c> settings as <see cref="AgentModule.AddOrderAgent"/> binds and checks them.</summary>
public sealed class ChatCompletionsOptions_Specs
{
    /// <summary>A URL every call would fail on is a mistake to say at start, not a model that fails on every reply.</summary>
    [Theory]
    [InlineData("api.openai.com/v1/chat/completions")]
    [InlineData("ftp://models.example/v1/chat/completions")]
    public void When_the_url_is_not_an_absolute_http_url_Should_refuse_to_start_naming_it(string url)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Agent:ChatCompletions:Url"] = url, ["Agent:ChatCompletions:ApiKey"] = "key" }));

        Assert.Contains(failure.Failures, f => f.Contains("Agent:ChatCompletions:Url", StringComparison.Ordinal));
    }

    /// <summary>A wait the HTTP client refuses (zero, negative) or one without end (infinite, -1 ms) is said at start.</summary>
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    [InlineData("-00:00:00.001")]
    [InlineData("1.00:00:00")]
    public void When_the_timeout_is_not_a_bounded_wait_Should_refuse_to_start_naming_it(string timeout)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Agent:ChatCompletions:Timeout"] = timeout }));

        Assert.Contains(failure.Failures, f => f.Contains("Agent:ChatCompletions:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_timeout_is_a_bounded_wait_Should_start() =>
        Assert.Equal(TimeSpan.FromSeconds(30), Bind(new() { ["Agent:ChatCompletions:Timeout"] = "00:00:30" }).Timeout);

    /// <summary>A bound that cuts every polite reply short, or lets one run past what the check sends at all, is said at start.</summary>
    [Theory]
    [InlineData("0")]
    [InlineData("99")]
    [InlineData("1001")]
    public void When_max_tokens_is_out_of_bounds_Should_refuse_to_start_naming_it(string maxTokens)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Agent:ChatCompletions:MaxTokens"] = maxTokens }));

        Assert.Contains(failure.Failures, f => f.Contains("Agent:ChatCompletions:MaxTokens", StringComparison.Ordinal));
    }

    [Fact]
    public void When_max_tokens_is_not_set_Should_bound_a_reply_at_600() => Assert.Equal(600, Bind([]).MaxTokens);

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://api.openai.com/v1/chat/completions", "sk-key")]
    public void When_the_url_is_absent_or_absolute_Should_start(string? url, string? apiKey) =>
        Assert.Equal(url, Bind(new() { ["Agent:ChatCompletions:Url"] = url, ["Agent:ChatCompletions:ApiKey"] = apiKey }).Url?.OriginalString);

    /// <summary>A model half configured (a key forgotten in one environment) started and answered with the rule-based composer for good, saying nothing.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void When_the_url_is_set_without_an_api_key_Should_refuse_to_start_naming_the_key(string? apiKey)
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Bind(new() { ["Agent:ChatCompletions:Url"] = "https://api.openai.com/v1/chat/completions", ["Agent:ChatCompletions:ApiKey"] = apiKey }));

        Assert.Contains(failure.Failures, f => f.StartsWith("Agent:ChatCompletions:ApiKey must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_api_key_is_set_without_a_url_Should_refuse_to_start_naming_the_url()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Agent:ChatCompletions:ApiKey"] = "sk-key" }));

        Assert.Contains(failure.Failures, f => f.StartsWith("Agent:ChatCompletions:Url must be set", StringComparison.Ordinal));
    }

    private static ChatCompletionsOptions Bind(Dictionary<string, string?> settings) =>
        BoundOptions.Of<ChatCompletionsOptions>(settings, services => services.AddOrderAgent());
}

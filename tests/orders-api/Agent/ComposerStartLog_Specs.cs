using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.Testing.Logging;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The one line orders-api logs at start about who writes the agent's replies, as <see cref="AgentModule.AddOrderAgent"/> registers it.</summary>
public sealed class ComposerStartLog_Specs
{
    /// <summary>The model's name and its URL's host, never the URL's path or query, nor the key.</summary>
    [Fact]
    public async Task When_a_model_is_configured_Should_log_its_name_and_host_once()
    {
        var lines = await StartAsync(new()
        {
            ["Agent:ChatCompletions:Url"] = "https://models.example/v1/chat/completions?api-version=secret",
            ["Agent:ChatCompletions:ApiKey"] = "sk-very-secret",
            ["Agent:ChatCompletions:Model"] = "gpt-test",
        });

        var line = Assert.Single(lines);
        Assert.Contains("model gpt-test at models.example", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_model_is_configured_Should_log_that_the_rule_based_composer_answers() =>
        Assert.Contains("rule-based composer", Assert.Single(await StartAsync([])), StringComparison.Ordinal);

    private static async Task<IReadOnlyList<string>> StartAsync(Dictionary<string, string?> settings)
    {
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.AddProvider(logs));
        services.AddOrderAgent();
        await using var provider = services.BuildServiceProvider();

        await ActivatorUtilities.CreateInstance<ComposerStartLog>(provider).StartAsync(CancellationToken.None);

        return logs.Lines;
    }
}

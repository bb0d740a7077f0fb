using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.InboxProvisioner.AgentMail;

namespace OrdersMail.InboxProvisioner.Tests.AgentMail;

/// <summary>The <c>InboxProvisioner:AgentMail</c> settings as <see cref="AgentMailRegistration.AddAgentMailClient"/> binds and checks them at start.</summary>
public sealed class AgentMailOptions_Specs
{
    [Fact]
    public void When_nothing_is_configured_Should_reach_the_local_sandbox_with_the_documented_defaults()
    {
        var options = Bind([]);

        Assert.Equal(new Uri("http://127.0.0.1:7070/agentmail"), options.BaseUrl);
        Assert.Equal("am_local_sandbox", options.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(4, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryAfter);
        Assert.Equal(0.5, options.BreakerFailureRatio);
        Assert.Equal(20, options.BreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BreakDuration);
    }

    [Fact]
    public void When_settings_are_configured_Should_bind_them_from_the_section()
    {
        var options = Bind(new()
        {
            ["InboxProvisioner:AgentMail:BaseUrl"] = "https://api.agentmail.to",
            ["InboxProvisioner:AgentMail:ApiKey"] = "am_live_123",
            ["InboxProvisioner:AgentMail:MaxRetries"] = "0",
            ["InboxProvisioner:AgentMail:BreakDuration"] = "00:01:00",
        });

        Assert.Equal(new Uri("https://api.agentmail.to"), options.BaseUrl);
        Assert.Equal("am_live_123", options.ApiKey);
        Assert.Equal(0, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMinutes(1), options.BreakDuration);
    }

    [Theory]
    [InlineData("BaseUrl", "/agentmail")]
    [InlineData("BaseUrl", "ftp://files.example/agentmail")]
    [InlineData("ApiKey", "")]
    [InlineData("ApiKey", "   ")]
    [InlineData("AttemptTimeout", "00:00:00")]
    [InlineData("AttemptTimeout", "-00:00:01")]
    [InlineData("MaxRetries", "-1")]
    [InlineData("RetryBaseDelay", "-00:00:00.100")]
    [InlineData("MaxRetryAfter", "-00:00:01")]
    [InlineData("BreakerFailureRatio", "0")]
    [InlineData("BreakerFailureRatio", "1.5")]
    [InlineData("BreakerMinimumThroughput", "1")]
    [InlineData("BreakerSamplingDuration", "00:00:00.100")]
    [InlineData("BreakDuration", "00:00:00")]
    public void When_a_setting_is_unusable_Should_refuse_to_start_naming_it(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start(new() { [$"InboxProvisioner:AgentMail:{key}"] = value }));

        Assert.Contains($"InboxProvisioner:AgentMail:{key} must", failure.Message, StringComparison.Ordinal);
        Assert.Single(failure.Failures);
    }

    [Fact]
    public void When_several_settings_are_unusable_Should_name_each_of_them()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start(new()
        {
            ["InboxProvisioner:AgentMail:ApiKey"] = "",
            ["InboxProvisioner:AgentMail:AttemptTimeout"] = "00:00:00",
        }));

        Assert.Contains("InboxProvisioner:AgentMail:ApiKey must be set", failure.Message, StringComparison.Ordinal);
        Assert.Contains("InboxProvisioner:AgentMail:AttemptTimeout must be between", failure.Message, StringComparison.Ordinal);
    }

    private static AgentMailOptions Bind(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings);
        return provider.GetRequiredService<IOptions<AgentMailOptions>>().Value;
    }

    // What the host does at start for ValidateOnStart options.
    private static void Start(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddAgentMailClient();
        return services.BuildServiceProvider();
    }
}

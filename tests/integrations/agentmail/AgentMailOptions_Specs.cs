using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// The settings as <see cref="AgentMailRegistration.AddAgentMailClient"/> binds and checks them at start, from the
/// section the host names: inbox-provisioner's <c>InboxProvisioner:AgentMail</c> here, so its keys are the ones proved.
/// </summary>
public sealed class AgentMailOptions_Specs
{
    private const string ProvisionerSection = "InboxProvisioner:AgentMail";

    /// <summary>
    /// The client used to fall back on the local sandbox's address and key: a host whose section was left unset (the
    /// router's, when only the provisioner's keys were set) started and asked 127.0.0.1:7070 for every call, and the
    /// router refused every received message as secret_unavailable. Each missing key is named, in the host's section.
    /// </summary>
    [Theory]
    [InlineData(ProvisionerSection)]
    [InlineData("InboundRouter:AgentMail")]
    [InlineData("DeliveryTracker:AgentMail")]
    public void When_the_base_url_and_the_api_key_are_not_set_Should_refuse_to_start_naming_both(string section)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start([], section, withUsableProvider: false));

        Assert.Contains(failure.Failures, f => f.StartsWith($"{section}:BaseUrl must be set", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith($"{section}:ApiKey must be set", StringComparison.Ordinal));
        Assert.Equal(2, failure.Failures.Count());
    }

    [Fact]
    public void When_only_another_hosts_section_is_set_Should_refuse_to_start_naming_this_hosts_keys()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start(
            new()
            {
                ["InboxProvisioner:AgentMail:BaseUrl"] = "https://api.agentmail.to",
                ["InboxProvisioner:AgentMail:ApiKey"] = "am_live_123",
            },
            "InboundRouter:AgentMail",
            withUsableProvider: false));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboundRouter:AgentMail:BaseUrl must be set", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("InboundRouter:AgentMail:ApiKey must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void When_only_the_base_url_and_the_api_key_are_configured_Should_try_as_hard_as_documented()
    {
        var options = Bind([]);

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

    [Fact]
    public void When_a_host_names_another_section_Should_bind_from_it_alone_and_name_its_keys_there()
    {
        Dictionary<string, string?> settings = new()
        {
            ["InboxProvisioner:AgentMail:ApiKey"] = "am_provisioner",
            ["DeliveryTracker:AgentMail:ApiKey"] = "am_tracker",
            ["DeliveryTracker:AgentMail:MaxRetries"] = "2",
        };

        var options = Bind(settings, "DeliveryTracker:AgentMail");
        var failure = Assert.Throws<OptionsValidationException>(() => Start(new() { ["DeliveryTracker:AgentMail:ApiKey"] = "" }, "DeliveryTracker:AgentMail"));

        Assert.Equal("am_tracker", options.ApiKey);
        Assert.Equal(2, options.MaxRetries);
        Assert.Contains("DeliveryTracker:AgentMail:ApiKey must be set", failure.Message, StringComparison.Ordinal);
    }

    private static AgentMailOptions Bind(Dictionary<string, string?> settings, string section = ProvisionerSection)
    {
        using var provider = Services(settings, section, withUsableProvider: true);
        return provider.GetRequiredService<IOptions<AgentMailOptions>>().Value;
    }

    // What the host does at start for ValidateOnStart options.
    private static void Start(Dictionary<string, string?> settings, string section = ProvisionerSection, bool withUsableProvider = true)
    {
        using var provider = Services(settings, section, withUsableProvider);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    // A usable base URL and key in the section, unless the spec asks for none, under the spec's own settings.
    private static ServiceProvider Services(Dictionary<string, string?> settings, string section, bool withUsableProvider)
    {
        var all = withUsableProvider
            ? new Dictionary<string, string?> { [$"{section}:BaseUrl"] = "https://api.agentmail.to", [$"{section}:ApiKey"] = "am_live_123" }
            : new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        services.AddAgentMailClient(section, AgentMailHarness.MeterName);
        return services.BuildServiceProvider();
    }
}

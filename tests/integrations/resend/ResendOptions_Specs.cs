using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>The settings as <see cref="ResendRegistration.AddResendClient"/> binds and checks them at start, from <c>Resend</c>.</summary>
public sealed class ResendOptions_Specs
{
    /// <summary>
    /// The client used to fall back on the local sandbox's address and key: a tracker started without them sent every
    /// email to 127.0.0.1:7070, refused, and said it was ready. Each missing key is named.
    /// </summary>
    [Fact]
    public void When_the_base_url_and_the_api_key_are_not_set_Should_refuse_to_start_naming_both()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start([], withUsableProvider: false));

        Assert.Contains(failure.Failures, f => f.StartsWith("Resend:BaseUrl must be set", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("Resend:ApiKey must be set", StringComparison.Ordinal));
        Assert.Equal(2, failure.Failures.Count());
    }

    [Fact]
    public void When_only_the_base_url_and_the_api_key_are_configured_Should_try_as_hard_as_documented()
    {
        var options = Bind([]);

        Assert.Equal(5, options.RequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxRetryAfter);
        Assert.Equal(0.5, options.BreakerFailureRatio);
        Assert.Equal(20, options.BreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(10), options.QuotaPause);
    }

    // The breaker's and timeout's settings used to be checked at the first send, when Polly built the pipeline: a
    // relay started with BreakDuration 0 failed every email instead of refusing to start.
    [Theory]
    [InlineData("BaseUrl", "/resend")]
    [InlineData("BaseUrl", "ftp://files.example/resend")]
    [InlineData("ApiKey", " ")]
    [InlineData("RequestsPerSecond", "0")]
    [InlineData("AttemptTimeout", "00:00:00")]
    [InlineData("MaxRetries", "-1")]
    [InlineData("RetryBaseDelay", "-00:00:00.100")]
    [InlineData("MaxRetryAfter", "-00:00:01")]
    [InlineData("BreakerFailureRatio", "0")]
    [InlineData("BreakerFailureRatio", "1.5")]
    [InlineData("BreakerMinimumThroughput", "1")]
    [InlineData("BreakerSamplingDuration", "00:00:00.100")]
    [InlineData("BreakDuration", "00:00:00")]
    [InlineData("QuotaPause", "00:00:00.500")]
    [InlineData("QuotaPause", "1.00:00:01")]
    public void When_a_setting_is_unusable_Should_refuse_to_start_naming_it(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start(new() { [$"Resend:{key}"] = value }));

        Assert.Contains($"Resend:{key} must", failure.Message, StringComparison.Ordinal);
        Assert.Single(failure.Failures);
    }

    [Fact]
    public void When_the_settings_are_usable_Should_start()
    {
        Start(new() { ["Resend:BaseUrl"] = "https://api.resend.com", ["Resend:ApiKey"] = "re_live_123", ["Resend:MaxRetries"] = "0" });
    }

    private static ResendOptions Bind(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings, withUsableProvider: true);
        return provider.GetRequiredService<IOptions<ResendOptions>>().Value;
    }

    // What the host does at start for ValidateOnStart options.
    private static void Start(Dictionary<string, string?> settings, bool withUsableProvider = true)
    {
        using var provider = Services(settings, withUsableProvider);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    // A usable base URL and key, unless the spec asks for none, under the spec's own settings.
    private static ServiceProvider Services(Dictionary<string, string?> settings, bool withUsableProvider)
    {
        var all = withUsableProvider
            ? new Dictionary<string, string?> { ["Resend:BaseUrl"] = "https://api.resend.com", ["Resend:ApiKey"] = "re_live_123" }
            : new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        services.AddResendClient("ordersmail-resend-options-specs");
        return services.BuildServiceProvider();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>The <c>InboxProvisioner:Provisioning</c> settings as the provisioner's composition binds and checks them at start.</summary>
public sealed class ProvisioningOptions_Specs
{
    /// <summary>
    /// A webhook URL AgentMail refuses to post to would have every existing customer's working webhook deleted by the
    /// webhook watch, as differing, and never created again: said at start instead.
    /// </summary>
    [Theory]
    [InlineData("htps://router.example.com/webhooks/agentmail")]
    [InlineData("ftp://router.example.com/webhooks/agentmail")]
    [InlineData("urn:router:webhooks")]
    public void When_the_webhook_url_is_not_an_http_url_Should_refuse_to_start_naming_it(string url)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(url));

        Assert.Contains(failure.Failures, f => f.Contains("InboxProvisioner:Provisioning:WebhookUrl must", StringComparison.Ordinal));
    }

    /// <summary>Unset, every inbox was subscribed to the local router's address (127.0.0.1:5300), where AgentMail's posts reach nothing.</summary>
    [Fact]
    public void When_the_webhook_url_is_not_set_Should_refuse_to_start_naming_it()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(null));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboxProvisioner:Provisioning:WebhookUrl must be set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5300/webhooks/agentmail")]
    [InlineData("https://router.example.com/webhooks/agentmail")]
    public void When_the_webhook_url_is_an_http_url_Should_start(string url) =>
        Assert.Equal(new Uri(url), Bind(url).WebhookUrl);

    /// <summary>A killed step's lease keeps its customer from every other step for its whole length; past a timer's reach it failed every step.</summary>
    [Theory]
    [InlineData("01:00:00.001")]
    [InlineData("60.00:00:00")]
    public void When_the_lease_is_longer_than_an_hour_Should_refuse_to_start_naming_it(string leaseLength)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("https://router.example.com/webhooks/agentmail", leaseLength));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboxProvisioner:Provisioning:LeaseLength must be at most 01:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_lease_is_an_hour_Should_start() =>
        Assert.Equal(TimeSpan.FromHours(1), Bind("https://router.example.com/webhooks/agentmail", "01:00:00").LeaseLength);

    /// <summary>
    /// Each is a timer's period, and a plain number binds as days: at "60" the timer threw at start and stopped the
    /// provisioner.
    /// </summary>
    [Theory]
    [InlineData("WebhookWatchEvery")]
    [InlineData("SweepInterval")]
    [InlineData("StepRetryPollInterval")]
    public void When_a_scan_is_further_apart_than_an_hour_Should_refuse_to_start_naming_it(string setting)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("https://router.example.com/webhooks/agentmail", more: (setting, "60")));

        Assert.Contains(
            failure.Failures,
            f => f.StartsWith("InboxProvisioner:Provisioning:WebhookWatchEvery, SweepInterval and StepRetryPollInterval must be at most 01:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_scans_are_an_hour_apart_Should_start() =>
        Assert.Equal(TimeSpan.FromHours(1), Bind("https://router.example.com/webhooks/agentmail", more: ("WebhookWatchEvery", "01:00:00")).WebhookWatchEvery);

    /// <summary>The sweeper and the step retries wait this long for the broker at each publish: never, or past a claimed retry's redispatch, is refused.</summary>
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:01:00.001")]
    public void When_the_publish_timeout_is_not_positive_or_over_a_minute_Should_refuse_to_start_naming_it(string publishTimeout)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("https://router.example.com/webhooks/agentmail", more: ("PublishTimeout", publishTimeout)));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboxProvisioner:Provisioning:PublishTimeout must be positive and at most 00:01:00", StringComparison.Ordinal));
    }

    /// <summary>
    /// The sender name of every answer the shop sends: a blank one, one a From header cannot carry as it is (a line
    /// break), or one AgentMail may trim (renamed again at every order) is said at start.
    /// </summary>
    [Theory]
    [InlineData(" ")]
    [InlineData("Acme\r\nBcc: someone@example.com")]
    [InlineData("Acme\tOrders")]
    [InlineData(" Acme Orders")]
    [InlineData("Acme Orders Acme Orders Acme Orders Acme Orders Acme Orders AcmeO")]
    public void When_the_inbox_display_name_is_not_a_sender_name_Should_refuse_to_start_naming_it(string name)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind("https://router.example.com/webhooks/agentmail", more: ("InboxDisplayName", name)));

        Assert.Contains(failure.Failures, f => f.StartsWith("InboxProvisioner:Provisioning:InboxDisplayName must be", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Acme Orders")]
    [InlineData("Acme Orders Acme Orders Acme Orders Acme Orders Acme Orders Acme")]
    public void When_the_inbox_display_name_is_a_sender_name_Should_start(string name) =>
        Assert.Equal(name, Bind("https://router.example.com/webhooks/agentmail", more: ("InboxDisplayName", name)).InboxDisplayName);

    [Fact]
    public void When_the_inbox_display_name_is_not_set_Should_be_Orders() =>
        Assert.Equal("Orders", Bind("https://router.example.com/webhooks/agentmail").InboxDisplayName);

    private static ProvisioningOptions Bind(string? webhookUrl, string? leaseLength = null, (string Name, string Value)? more = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var settings = new Dictionary<string, string?>();
        if (webhookUrl is not null)
        {
            settings["InboxProvisioner:Provisioning:WebhookUrl"] = webhookUrl;
        }

        if (leaseLength is not null)
        {
            settings["InboxProvisioner:Provisioning:LeaseLength"] = leaseLength;
        }

        if (more is { } setting)
        {
            settings[$"InboxProvisioner:Provisioning:{setting.Name}"] = setting.Value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddInboxProvisioner();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<ProvisioningOptions>>().Value;
    }
}

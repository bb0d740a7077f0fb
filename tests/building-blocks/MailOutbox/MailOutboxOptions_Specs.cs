using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.BuildingBlocks.Tests.MailOutbox;

/// <summary>
/// <c>MailOutbox:Directory</c> as a writer's registration binds and checks it at start: blank, the first email written
/// failed with an ArgumentException naming no setting (and the relay's start with it).
/// </summary>
public sealed class MailOutboxOptions_Specs
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void When_the_directory_is_blank_Should_refuse_to_start_naming_it(string directory)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start(directory));

        Assert.StartsWith("MailOutbox:Directory must be set", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    /// <summary>
    /// A relative directory is resolved against each process's working directory: orders-api and the relay started
    /// from different folders wrote and read two outboxes, and no email was ever sent, with nothing said.
    /// </summary>
    [Theory]
    [InlineData(".data/outbox")]
    [InlineData("outbox")]
    [InlineData("../shared/outbox")]
    public void When_the_directory_is_relative_Should_refuse_to_start_naming_it(string directory)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Start(directory));

        var message = Assert.Single(failure.Failures);
        Assert.StartsWith("MailOutbox:Directory must be an absolute path", message, StringComparison.Ordinal);
        Assert.Contains(directory, message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_directory_is_set_Should_start() => Start("/var/spool/ordersmail/outbox");

    // What the host does at start for ValidateOnStart options.
    private static void Start(string directory)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MailOutbox:Directory"] = directory }).Build());
        services.AddMailOutboxWriter();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}

using Microsoft.Extensions.Configuration;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Hosting;

public sealed class ConfigurationConventions_Specs
{
    // A section no other spec uses, so setting a process-wide variable cannot disturb them.
    private readonly string _section = $"Spec{Guid.NewGuid():N}";

    [Fact]
    public void An_ORDERSMAIL_variable_Should_override_appsettings_and_give_way_to_the_command_line()
    {
        Environment.SetEnvironmentVariable($"ORDERSMAIL_{_section}__Port", "6001");
        Environment.SetEnvironmentVariable($"ORDERSMAIL_{_section}__Host", "10.0.0.1");
        try
        {
            var configuration = new ConfigurationManager();
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{_section}:Port"] = "5000",
                [$"{_section}:Host"] = "127.0.0.1",
                [$"{_section}:Name"] = "from-appsettings",
            });
            configuration.AddCommandLine([$"--{_section}:Host=from-command-line"]);

            configuration.AddOrdersMailEnvironmentVariables();

            Assert.Equal("6001", configuration[$"{_section}:Port"]);
            Assert.Equal("from-command-line", configuration[$"{_section}:Host"]);
            Assert.Equal("from-appsettings", configuration[$"{_section}:Name"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"ORDERSMAIL_{_section}__Port", null);
            Environment.SetEnvironmentVariable($"ORDERSMAIL_{_section}__Host", null);
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Tests.Hosting;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>
/// The <c>RabbitMq</c> ports every service's bus connects by, checked at start: a port of 0 was taken without a word,
/// and the bus tried to connect to it for good, never ready.
/// </summary>
public sealed class RabbitMqOptions_Specs
{
    private static readonly ServiceInfo Service = TestServiceHost.Identity("rabbitmq-options-specs", typeof(RabbitMqOptions_Specs).Assembly);

    [Theory]
    [InlineData("Port", "0")]
    [InlineData("Port", "-1")]
    [InlineData("Port", "65536")]
    [InlineData("ManagementPort", "0")]
    [InlineData("ManagementPort", "-1")]
    [InlineData("ManagementPort", "65536")]
    public void When_a_port_is_past_its_bound_Should_refuse_to_start_naming_it(string setting, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind((setting, value)));

        Assert.Contains(failure.Failures, f => f.StartsWith($"RabbitMq:{setting} must be between 1 and 65535", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 65535)]
    [InlineData(65535, 1)]
    public void When_each_port_is_at_its_bound_Should_start_with_them(int port, int managementPort)
    {
        var options = Bind(("Port", port.ToString(CultureInfo.InvariantCulture)), ("ManagementPort", managementPort.ToString(CultureInfo.InvariantCulture)));

        Assert.Equal((port, managementPort), (options.Port, options.ManagementPort));
    }

    private static RabbitMqOptions Bind(params (string Name, string Value)[] settings) =>
        ServiceDefaultsServices.Read(
            Service,
            settings.Select(s => KeyValuePair.Create($"RabbitMq:{s.Name}", (string?)s.Value)),
            services => services.GetRequiredService<IOptions<RabbitMqOptions>>().Value);
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Hosting;

/// <summary>
/// Where a service listens, as <c>AddServiceDefaults</c> reads it: <c>{Section}:BindAddress</c> and <c>{Section}:Port</c>.
/// Port 0 started Kestrel on a random port that probes and scripts never found, and 70000 failed the start with an
/// exception naming the URL, not the setting.
/// </summary>
public sealed class ServiceAddress_Specs
{
    private static readonly ServiceInfo Service = new("service-address-specs", "TestService", 5999, "service_address_specs", typeof(ServiceAddress_Specs).Assembly);

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("5100x")]
    [InlineData("")]
    public void When_the_port_is_not_one_a_service_can_listen_on_Should_refuse_to_start_naming_it(string port)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => ListensOn(new() { ["TestService:Port"] = port }));

        Assert.StartsWith("TestService:Port must be a port from 1 to 65535", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A host name Kestrel cannot bind to one address it listens for on every interface: refused instead.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("orders.example.com")]
    [InlineData("127.0.0.1:5100")]
    public void When_the_bind_address_is_not_an_address_Should_refuse_to_start_naming_it(string address)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => ListensOn(new() { ["TestService:BindAddress"] = address }));

        Assert.StartsWith("TestService:BindAddress must be an IP address", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_both_are_unusable_Should_name_both()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => ListensOn(new() { ["TestService:BindAddress"] = "nowhere", ["TestService:Port"] = "0" }));

        Assert.Contains("TestService:BindAddress must be", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TestService:Port must be", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:5999")]
    [InlineData(null, "1", "http://127.0.0.1:1")]
    [InlineData("0.0.0.0", "65535", "http://0.0.0.0:65535")]
    [InlineData("localhost", "5100", "http://localhost:5100")]
    [InlineData("::1", "5100", "http://[::1]:5100")]
    public void When_both_are_usable_Should_listen_there(string? address, string? port, string url)
    {
        var settings = new Dictionary<string, string?>();
        if (address is not null)
        {
            settings["TestService:BindAddress"] = address;
        }

        if (port is not null)
        {
            settings["TestService:Port"] = port;
        }

        Assert.Equal(url, ListensOn(settings));
    }

    /// <summary>URLs given the ASP.NET Core way (containers bind 0.0.0.0 so) win, and the section's port is not read.</summary>
    [Fact]
    public void When_urls_are_given_Should_listen_on_them_alone() =>
        Assert.Equal("http://0.0.0.0:8080", ListensOn(new() { [WebHostDefaults.ServerUrlsKey] = "http://0.0.0.0:8080", ["TestService:Port"] = "0" }));

    // Before AddServiceDefaults, which reads the address as it sets the host up.
    private static string? ListensOn(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults(Service);
        return builder.Configuration[WebHostDefaults.ServerUrlsKey];
    }
}

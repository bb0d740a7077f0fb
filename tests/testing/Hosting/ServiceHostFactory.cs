using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Testing.Hosting;

/// <summary>
/// One of the real service hosts (its own <c>Program</c>, unchanged) in memory, on the real servers, pointed
/// at a test class's own database and vhost. Nothing is swapped: no in-memory bus, no fake repository.
/// </summary>
public class ServiceHostFactory<TProgram>(TestInfrastructure infrastructure) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    /// <summary>Extra settings of a test (they win over the infrastructure's).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration
            .AddInMemoryCollection(infrastructure.Settings)
            .AddInMemoryCollection(Settings));
    }
}

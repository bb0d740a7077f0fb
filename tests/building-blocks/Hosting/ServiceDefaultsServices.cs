using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Hosting;

/// <summary>
/// What <c>AddServiceDefaults</c> registers, built with a spec's settings and no host started: an option's checks at
/// start run as it is first read, so a spec of the shared settings sees the refusal a service's start would.
/// </summary>
internal static class ServiceDefaultsServices
{
    /// <summary>Reads what <paramref name="read"/> asks for from the services, which are disposed after.</summary>
    public static T Read<T>(ServiceInfo service, IEnumerable<KeyValuePair<string, string?>> settings, Func<IServiceProvider, T> read)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(service);

        // Last, so the spec's settings win over the ORDERSMAIL_ variables the service defaults read (tests/run.sh sets
        // the servers' ports there).
        builder.Configuration.AddInMemoryCollection(settings);
        using var services = builder.Services.BuildServiceProvider();
        return read(services);
    }
}

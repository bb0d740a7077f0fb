using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Tests.Support;

/// <summary>Settings bound and checked as a feature's registration does it, without a host: what the options specs read.</summary>
internal static class BoundOptions
{
    /// <summary>The <typeparamref name="T"/> that <paramref name="register"/> binds from <paramref name="settings"/>; throws when its checks refuse them.</summary>
    public static T Of<T>(Dictionary<string, string?> settings, Action<IServiceCollection> register)
        where T : class
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        register(services);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }
}

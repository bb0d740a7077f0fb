using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>Registers the mail outbox for a service that writes emails.</summary>
public static class MailOutboxExtensions
{
    /// <summary>
    /// Binds <see cref="MailOutboxOptions"/> (<c>MailOutbox:Directory</c>) and registers <see cref="MailOutboxWriter"/>, and
    /// <see cref="MailOutboxReader"/> for a writer that reads back what it wrote; a request that fails because the outbox
    /// cannot take a file is answered 503 (<see cref="MailOutboxUnavailableExceptionHandler"/>).
    /// </summary>
    public static IServiceCollection AddMailOutboxWriter(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MailOutboxOptions>().BindConfiguration(MailOutboxOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MailOutboxWriter>();
        services.TryAddSingleton<MailOutboxReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, MailOutboxUnavailableExceptionHandler>());
        return services;
    }
}

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>Registers the mail outbox: its settings, and what a service that writes emails needs.</summary>
public static class MailOutboxExtensions
{
    /// <summary>
    /// Binds <see cref="MailOutboxOptions"/> (<see cref="AddMailOutboxOptions"/>) and registers <see cref="MailOutboxWriter"/>, and
    /// <see cref="MailOutboxReader"/> for a writer that reads back what it wrote; a request that fails because the outbox
    /// cannot take a file is answered 503 (<see cref="MailOutboxUnavailableExceptionHandler"/>).
    /// </summary>
    public static IServiceCollection AddMailOutboxWriter(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMailOutboxOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MailOutboxWriter>();
        services.TryAddSingleton<MailOutboxReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, MailOutboxUnavailableExceptionHandler>());
        return services;
    }

    /// <summary>
    /// Binds <see cref="MailOutboxOptions"/> (<c>MailOutbox:Directory</c>), checks them and logs the outbox's path at
    /// start (<see cref="MailOutboxStartLog"/>), once however many of a host's parts (a writer, the relay) ask for them.
    /// </summary>
    public static IServiceCollection AddMailOutboxOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MailOutboxOptions>().BindConfiguration(MailOutboxOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOutboxOptions>, MailOutboxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MailOutboxStartLog>());
        return services;
    }
}

using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>MassTransit on RabbitMQ, set up the same way in every service.</summary>
public static class MessagingExtensions
{
    /// <summary>The broker's readiness check's name in <c>/health/ready</c> (MassTransit adds <c>masstransit-bus</c> beside it).</summary>
    public const string HealthCheckName = "rabbitmq";

    internal static IServiceCollection AddMessageBus(
        this IServiceCollection services,
        ServiceInfo service,
        Action<IBusRegistrationConfigurator>? configure)
    {
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section)
            .Validate(o => o.Port is > 0 and <= RabbitMqOptions.HighestPort, $"{RabbitMqOptions.Section}:Port must be between 1 and {RabbitMqOptions.HighestPort}.")
            .Validate(
                o => o.ManagementPort is > 0 and <= RabbitMqOptions.HighestPort,
                $"{RabbitMqOptions.Section}:ManagementPort must be between 1 and {RabbitMqOptions.HighestPort}.")
            .ValidateOnStart();
        services.AddOptions<MessageRetryOptions>().BindConfiguration(MessageRetryOptions.Section)
            .Validate(
                o => o.IsValid,
                $"{MessageRetryOptions.Section}: Limit and OutageLimit must be between 1 and {MessageRetryOptions.MostRetries}; MinInterval and OutageMinInterval more than 0, "
                + $"MaxInterval and OutageMaxInterval at least their minimum and at most {MessageRetryOptions.LongestInterval}.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessageRetryOptions>, MessageRetryOptionsValidator>();
        services.AddSingleton<BrokerReturns>();
        services.AddSingleton<BrokerConnection>();
        services.AddSingleton<RabbitMqHealthCheck>();
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>(HealthCheckName, HealthStatus.Unhealthy, [HealthTags.Ready]);
        services.AddSingleton<FaultedReceiveEndpoints>();
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<FaultedReceiveEndpoints>());
        services.AddSingleton<RunningBus>();
        services.AddBusObserver(provider => provider.GetRequiredService<RunningBus>());

        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.SetKebabCaseEndpointNameFormatter();

            // Every receive endpoint: a quorum queue (replicated, poison-message aware) and bounded retries.
            // Nothing is discarded: exhausted messages go to <queue>_error, visible in the management UI.
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var retry = context.GetRequiredService<IOptions<MessageRetryOptions>>().Value;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }

                // Outer: waits out a database that cannot take work. Inner: retries the rest briefly, passing those out.
                endpoint.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(TransientDatabaseFailure.Is);
                    r.Exponential(retry.OutageLimit, retry.OutageMinInterval, retry.OutageMaxInterval, retry.OutageMinInterval);
                });
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Exception>(TransientDatabaseFailure.Is);
                    r.Exponential(retry.Limit, retry.MinInterval, retry.MaxInterval, retry.MinInterval);
                });
            });

            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                // MassTransit takes the port as a ushort; the options' check at start keeps it in range.
                rabbit.Host(options.Host, (ushort)options.Port, options.VirtualHost, service.Name, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);

                    // Publish and Send complete only when the broker has the message; the outboxes rely on it.
                    host.PublisherConfirmation = true;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        // After MassTransit's own hosted service, so that it is stopped first and starts no endpoint of a stopping bus.
        services.AddHostedService<ReceiveEndpointRestart>();

        return services;
    }
}

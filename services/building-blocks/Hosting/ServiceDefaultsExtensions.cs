using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Logging;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>The two calls every OrdersMail host makes: one on the builder, one on the app.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Sets a host up as an OrdersMail service: <c>ORDERSMAIL_</c> configuration, JSON logs with trace ids,
    /// OpenTelemetry, its PostgreSQL schema (migrated before anything else starts), MassTransit on RabbitMQ, the
    /// health checks behind <c>/health/ready</c>, one JSON dialect and problem answers for its routes, and their
    /// OpenAPI document. Order matters: hosted services start in registration order, so telemetry starts first, then
    /// the migration, then the bus.
    /// </summary>
    /// <param name="builder">The host's builder.</param>
    /// <param name="service">Who the host is.</param>
    /// <param name="configureBus">Registers the service's consumers, sagas and request clients.</param>
    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder,
        ServiceInfo service,
        Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(service);

        builder.Configuration.AddOrdersMailEnvironmentVariables();
        builder.Services.AddSingleton(service);
        builder.ListenOnServicePort(service);

        builder.AddStructuredLogging(service);
        builder.AddTelemetry(service);
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer(OmittedWhenNullSchemas.TransformAsync));

        // Every service's routes speak snake_case, enums by name (the web app's and ops' alike), set for the endpoints'
        // results, problems and the OpenAPI document at once; the health endpoints write with their own options.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiNamingPolicy.Instance;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = UnroutedRequestProblems.Explain);
        builder.Services.AddExceptionHandler<BadRequestBodyExceptionHandler>();
        builder.Services.AddPostgres(service);
        builder.Services.AddMessageBus(service, configureBus);
        return builder;
    }

    /// <summary>
    /// Handles what every service's endpoints share, first in the pipeline: an exception becomes a problem answer
    /// (503 with Retry-After when the database is busy, Kestrel's own 400, 408 or 413 for a body it could not read, 500
    /// otherwise), and a refusal without a body gets a problem saying what is wrong (<see cref="UnroutedRequestProblems"/>); then maps <c>/health/live</c>, <c>/health/ready</c> and <c>/openapi/v1.json</c>, which describes every
    /// route the service maps with each answer it can give: the web app's, ops' and the webhook providers' contract.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();

        // A refusal with no body of its own (routing's 404 and 405, authorization's 401 and 403) gets a problem that says it.
        app.UseStatusCodePages();
        app.MapHealthEndpoints();
        app.MapOpenApi();
        return app;
    }

    /// <summary>
    /// Listens on <c>{Section}:BindAddress</c>:<c>{Section}:Port</c> (127.0.0.1 and the service's default port; see
    /// <see cref="ServiceAddress"/>) unless URLs were given the ASP.NET Core way (<c>ASPNETCORE_URLS</c>, <c>--urls</c>),
    /// which containers use to bind 0.0.0.0.
    /// </summary>
    private static void ListenOnServicePort(this WebApplicationBuilder builder, ServiceInfo service)
    {
        if (!string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            return;
        }

        builder.WebHost.UseUrls(ServiceAddress.Url(builder.Configuration, service));
    }
}

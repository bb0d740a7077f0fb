using System.Net;
using System.Reflection;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Testing.Hosting;

/// <summary>
/// A host assembled in a test exactly as a service's Program.cs assembles one (<c>AddServiceDefaults</c>,
/// <c>MapDefaultEndpoints</c>), with the test's own consumers and migrations, for specs of the shared plumbing.
/// </summary>
public sealed class TestServiceHost : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private TestServiceHost(WebApplication app, ServiceInfo service)
    {
        App = app;
        Service = service;
        Client = app.GetTestClient();
    }

    /// <summary>The running app.</summary>
    public WebApplication App { get; }

    /// <summary>Who the host is.</summary>
    public ServiceInfo Service { get; }

    /// <summary>An HTTP client of the app's in-memory server.</summary>
    public HttpClient Client { get; }

    /// <summary>Services of the running app.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>A service identity for a test host, with a schema of its own and migrations from <paramref name="migrationsAssembly"/>.</summary>
    public static ServiceInfo Identity(string name, Assembly migrationsAssembly) =>
        new(name, "TestService", 0, name.Replace('-', '_'), migrationsAssembly);

    /// <summary>Builds and starts the host.</summary>
    public static async Task<TestServiceHost> StartAsync(
        ServiceInfo service,
        IReadOnlyDictionary<string, string?> settings,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = service.Name });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults(service, configureBus);
        builder.Configuration.AddInMemoryCollection(settings);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();

        // Like a deploy, wait for readiness: until the bus has declared its queues and bindings,
        // a message published to an exchange nobody is bound to yet would simply be dropped by the broker.
        var host = new TestServiceHost(app, service);
        await Eventually.Until(
            () => host.Client.GetAsync(HealthEndpoints.ReadyPath),
            r => r.IsSuccessStatusCode,
            ReadyTimeout,
            $"{service.Name} to report ready");
        return host;
    }

    /// <summary>Starts a host on a test class's database and vhost.</summary>
    public static Task<TestServiceHost> StartAsync(
        ServiceInfo service,
        TestInfrastructure infrastructure,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        var all = new Dictionary<string, string?>(infrastructure.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return StartAsync(service, all, configureBus, services);
    }

    /// <summary>
    /// Polls <c>/health/ready</c> every 250 ms until it answers <paramref name="expected"/>, and returns that report.
    /// </summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>; the message says what was awaited.</exception>
    public async Task<JsonDocument> ReadinessAsync(HttpStatusCode expected, TimeSpan timeout, string? when = null)
    {
        var response = await Eventually.Until(
            () => Client.GetAsync("/health/ready"),
            r => r.StatusCode == expected,
            timeout,
            $"/health/ready to answer {(int)expected}{(when is null ? "" : " " + when)}",
            TimeSpan.FromMilliseconds(250));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

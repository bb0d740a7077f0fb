using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Testing.Hosting;

/// <summary>
/// What every service host must do on a fresh database and vhost: start, migrate its own schema, join the
/// bus, report ready, and describe its routes in its OpenAPI document. Each service's test project runs these
/// against its real <c>Program</c>.
/// </summary>
/// <param name="infrastructure">The real servers.</param>
/// <param name="service">Who the host is.</param>
/// <param name="routes">Every route the host maps besides health (<c>"POST /webhooks/agentmail"</c>) with each status it answers.</param>
public abstract partial class ServiceHostSpecs<TProgram>(TestInfrastructure infrastructure, ServiceInfo service, IReadOnlyDictionary<string, int[]> routes) : IAsyncDisposable
    where TProgram : class
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>The host under test; it starts on its first client.</summary>
    protected ServiceHostFactory<TProgram> Host { get; } = new(infrastructure);

    /// <summary>The routes (as in the routes given) that never use the database, so never answer its 503.</summary>
    protected virtual IReadOnlySet<string> RoutesWithoutDatabase { get; } = new HashSet<string>();

    /// <summary>The routes that also answer a 503 of their own without <c>Retry-After</c> (AgentMail or the broker away).</summary>
    protected virtual IReadOnlySet<string> RoutesWithA503WithoutRetryAfter { get; } = new HashSet<string>();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Ready means its database answers, the broker answers and its bus is started on it.</summary>
    [Fact]
    public async Task Should_report_ready_once_its_database_and_bus_answer()
    {
        using var client = Host.CreateClient();

        var ready = await Eventually.Until(
            () => client.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.OK,
            ReadyTimeout,
            $"{service.Name} to report ready");

        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["postgres"]);
        Assert.Equal("Healthy", checks["rabbitmq"]);
        Assert.Equal("Healthy", checks["masstransit-bus"]);
    }

    /// <summary>Liveness asks nothing of the dependencies.</summary>
    [Fact]
    public async Task Should_report_live()
    {
        using var client = Host.CreateClient();

        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>The service's schema exists, with every one of its migrations recorded once.</summary>
    [Fact]
    public async Task Should_migrate_its_own_schema_at_start()
    {
        using var client = Host.CreateClient();

        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<string>($"select name from {service.Schema}.schema_migrations order by version")).ToList();
        var shipped = Migration.LoadFrom(service.ComponentsAssembly).Select(m => m.Name).ToList();
        Assert.Equal(shipped, recorded);

        var schemas = await connection.QueryAsync<string>("select schema_name from information_schema.schemata where schema_name = @Schema", new { service.Schema });
        Assert.Single(schemas);
    }

    /// <summary>
    /// <c>/openapi/v1.json</c> describes exactly the routes the host maps, health and what is excluded on purpose aside
    /// (a route mapped without a description, or described but not mapped, fails), each with every status it answers, and every
    /// error answer with the body that says what is wrong.
    /// </summary>
    [Fact]
    public async Task Should_describe_every_route_it_maps_with_each_answer_in_its_OpenAPI_document()
    {
        var operations = await DocumentedOperationsAsync();

        Assert.Equal(routes.Keys.Order(StringComparer.Ordinal), MappedRoutes().Order(StringComparer.Ordinal));
        Assert.Equal(routes.Keys.Order(StringComparer.Ordinal), operations.Keys.Order(StringComparer.Ordinal));
        foreach (var (route, statuses) in routes)
        {
            var documented = operations[route];
            Assert.True(
                statuses.Select(s => s.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).SequenceEqual(documented.Select(r => r.Key).Order(StringComparer.Ordinal)),
                $"{route} is documented with {string.Join(", ", documented.Select(r => r.Key))}, not {string.Join(", ", statuses)}");
            foreach (var error in documented.Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.True(error.Value!["content"] is JsonObject { Count: > 0 }, $"{route} {error.Key} describes no body: {error.Value}");
            }
        }
    }

    /// <summary>
    /// Every route that uses the database lists the 503 with <c>Retry-After</c> (seconds) that the host's handler answers,
    /// outside the endpoint, when the database cannot take the request now, so a client generated from the document sends it
    /// again after that instead of giving up; the header is required but where the route's own 503 comes without it.
    /// </summary>
    [Fact]
    public async Task Should_describe_the_503_with_Retry_After_of_every_route_that_uses_the_database()
    {
        var operations = await DocumentedOperationsAsync();

        var usingDatabase = operations.Where(o => !RoutesWithoutDatabase.Contains(o.Key)).ToList();
        Assert.NotEmpty(usingDatabase);
        Assert.All(usingDatabase, o => Assert.True(
            o.Value["503"]?["headers"]?["Retry-After"]?["schema"]?["type"]?.GetValue<string>() == "integer",
            $"{o.Key} does not describe a 503 with Retry-After: {o.Value.ToJsonString()}"));
        Assert.All(usingDatabase, o => Assert.True(
            (o.Value["503"]!["headers"]!["Retry-After"]!["required"]?.GetValue<bool>() ?? false) != RoutesWithA503WithoutRetryAfter.Contains(o.Key),
            $"{o.Key}'s 503 must {(RoutesWithA503WithoutRetryAfter.Contains(o.Key) ? "not " : "")}require Retry-After: {o.Value["503"]!.ToJsonString()}"));
    }

    /// <summary>
    /// A request no route takes is refused with a problem that says what is wrong: a path nothing is at (quoted only so
    /// far), and a route asked with a method it does not take, which is told the methods it does.
    /// </summary>
    [Fact]
    public async Task Should_say_what_is_wrong_with_a_request_no_route_takes()
    {
        using var client = Host.CreateClient();

        using var nowhere = await client.GetAsync("/no-such-route/" + new string('x', 1_000));
        var lost = await ProblemDetailAsync(nowhere, HttpStatusCode.NotFound);
        Assert.StartsWith("No route matches GET /no-such-route/xxx", lost, StringComparison.Ordinal);
        Assert.True(lost.Length < 400, $"The detail quotes the whole path: {lost.Length} characters.");

        var pattern = routes.Keys.First().Split(' ', 2)[1];
        var methods = routes.Keys.Select(r => r.Split(' ', 2)).Where(r => r[1] == pattern).Select(r => r[0]).Order(StringComparer.Ordinal);
        var path = RouteParameter().Replace(pattern, _ => Guid.NewGuid().ToString());
        using var put = new HttpRequestMessage(HttpMethod.Put, path);
        using var wrongMethod = await client.SendAsync(put);
        var refused = await ProblemDetailAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
        var prefix = $"{path} does not take PUT; it takes ";
        Assert.StartsWith(prefix, refused, StringComparison.Ordinal);
        Assert.Equal(methods, refused[prefix.Length..].TrimEnd('.').Split(", ").Order(StringComparer.Ordinal));
    }

    // Each operation of /openapi/v1.json ("GET /orders/{id}") with its responses.
    private async Task<Dictionary<string, JsonObject>> DocumentedOperationsAsync()
    {
        using var client = Host.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(o => HttpMethods.Contains(o.Key))
                .Select(o => (Route: $"{o.Key.ToUpperInvariant()} {path.Key}", Responses: o.Value!["responses"]!.AsObject())))
            .ToDictionary(o => o.Route, o => o.Responses);
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    // What the host maps, in the OpenAPI document's form: "GET /orders/{id}" for the pattern /orders/{id:guid}, and
    // "GET /api/orders" for a group's own route (/api/orders/).
    private IEnumerable<string> MappedRoutes() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.RoutePattern.RawText is { } path && !path.StartsWith("/health", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => $"{method} {RouteConstraint().Replace(e.RoutePattern.RawText!, "{$1}").TrimEnd('/')}"));

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}

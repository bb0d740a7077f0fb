using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersMail.BuildingBlocks.Ops;

/// <summary>The ops key: registered by a service that serves ops routes, required on each of their groups.</summary>
public static class OpsAccessExtensions
{
    /// <summary>Binds <see cref="OpsOptions"/> and refuses to start without a key of at least <see cref="OpsOptions.MinKeyLength"/> characters.</summary>
    public static IServiceCollection AddOpsAccess(this IServiceCollection services)
    {
        services.AddOptions<OpsOptions>()
            .BindConfiguration(OpsOptions.Section)
            .Validate(
                o => o.ApiKey is { Length: >= OpsOptions.MinKeyLength } key && key.Trim() == key,
                $"{OpsOptions.Section}:ApiKey (ORDERSMAIL_Ops__ApiKey) must be set: at least {OpsOptions.MinKeyLength} characters, no surrounding spaces.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Every route of <paramref name="group"/> answers only requests that present the ops key; 401 otherwise.</summary>
    public static RouteGroupBuilder RequireOpsKey(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter<OpsKeyFilter>();
        group.ProducesProblem(StatusCodes.Status401Unauthorized);
        return group;
    }
}

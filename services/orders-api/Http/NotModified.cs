using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace OrdersMail.OrdersApi.Http;

/// <summary>
/// 304 with no body: the caller's copy, named by its <c>If-None-Match</c>, is still what the route would answer.
/// ASP.NET Core has no typed result for it, and a <c>Results&lt;...&gt;</c> union must name it for the OpenAPI document.
/// </summary>
public sealed class NotModified : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    /// <inheritdoc />
    public int? StatusCode => StatusCodes.Status304NotModified;

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
        return Task.CompletedTask;
    }
}

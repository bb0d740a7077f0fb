using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Http;

/// <summary>
/// Lets the web app call the API from its own origin (docs/clerk.md §1: another origin than this service's, so it sends
/// <c>Authorization: Bearer</c>): ASP.NET Core's CORS, allowing exactly the origins Clerk's tokens may name in
/// <c>azp</c> (<c>Clerk:AuthorizedParties</c>). Without it a browser's preflight got 405 with no
/// <c>Access-Control-Allow-*</c> headers, and every fetch of the web app failed.
/// </summary>
/// <remarks>
/// The timeline's conditional GET needs its two headers named, being neither of CORS's safelisted ones: without
/// <c>If-None-Match</c> allowed the preflight of a poll that sends it fails, and without <c>ETag</c> exposed the web app
/// never reads the tag to send, fetching the whole answer at every poll.
/// <para>
/// No credentials: the <c>__session</c> cookie is sent only to its own site, so a caller on another origin signs in with
/// the header, which CORS treats as an ordinary request header.
/// </para>
/// </remarks>
public static class WebAppCors
{
    /// <summary>The policy the API's routes use.</summary>
    public const string Policy = "web-app";

    /// <summary>Registers CORS with the <see cref="Policy"/> made from the Clerk settings.</summary>
    public static IServiceCollection AddWebAppCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptionsMonitor<ClerkSessionOptions>>((cors, clerk) =>
            cors.AddPolicy(Policy, policy => policy
                .WithOrigins([.. clerk.Get(ClerkAuthentication.SchemeName).AuthorizedParties])
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch)
                .WithHeaders(HeaderNames.Authorization, HeaderNames.ContentType, OrdersEndpoints.IdempotencyKeyHeader, HeaderNames.IfNoneMatch)
                .WithExposedHeaders(
                    HeaderNames.Location, OrdersEndpoints.ReplayedHeader, HeaderNames.RetryAfter, HeaderNames.WWWAuthenticate, HeaderNames.ETag)));
        return services;
    }
}

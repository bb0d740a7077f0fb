using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OrdersMail.BuildingBlocks.Ops;

/// <summary>
/// Lets a request reach an ops route only with the ops key (<c>Authorization: Bearer {Ops:ApiKey}</c>): 401 with a
/// problem saying what is missing otherwise. The router and the tracker serve ops routes on the port AgentMail and
/// Resend post webhooks to, which must be reachable from the internet, and those routes show customers' mail and send
/// email again.
/// </summary>
internal sealed class OpsKeyFilter(IOptions<OpsOptions> options) : IEndpointFilter
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey ?? ""));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(context.HttpContext, "An ops route needs the ops key: Authorization: Bearer {Ops:ApiKey}.");
        }

        // Hashes of equal length, compared in constant time: the answer's timing says nothing of the key.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _keyHash)
            ? next(context)
            : Refuse(context.HttpContext, "The ops key presented is not this service's (Ops:ApiKey).");
    }

    private static ValueTask<object?> Refuse(HttpContext http, string detail)
    {
        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"ops\"";
        return ValueTask.FromResult<object?>(TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Ops key required"));
    }
}

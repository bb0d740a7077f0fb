using Microsoft.AspNetCore.Http;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// Says what is wrong when routing itself refuses a request, before any endpoint of ours could: no route at the path
/// (404; an id that is not a UUID where the route wants one lands here too) or a route that does not take the method
/// (405). Those problems would otherwise say only their status.
/// </summary>
public static class UnroutedRequestProblems
{
    // A path is the caller's input: quoted only this far, so an 8 KB path makes no 8 KB problem.
    private const int MaxQuotedPath = 200;

    /// <summary>Fills in the detail of a 404 no endpoint matched, or of a 405, when nothing else has.</summary>
    public static void Explain(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        if (problem.Detail is not null)
        {
            return;
        }

        var path = Quoted(http.Request.Path);
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound when http.GetEndpoint() is null =>
                $"No route matches {http.Request.Method} {path}. Check the path and the ids in it; /openapi/v1.json lists every route.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{path} does not take {http.Request.Method}" + (http.Response.Headers.Allow is { Count: > 0 } allow ? $"; it takes {allow}." : "."),
            _ => null,
        };
    }

    private static string Quoted(PathString path)
    {
        var escaped = path.ToUriComponent();
        return escaped.Length <= MaxQuotedPath ? escaped : string.Concat(escaped.AsSpan(0, MaxQuotedPath), "…");
    }
}

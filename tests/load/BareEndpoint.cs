using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrdersMail.Load;

/// <summary>
/// The floor an ingress is measured against: Kestrel reading the same body and answering 204, in the load tool's
/// process, on the same cores, so the ratio to it says what the ingress's own work (verify, dedupe, record) costs.
/// </summary>
public static class BareEndpoint
{
    /// <summary>The path it answers, the same as inbound-router's AgentMail ingress.</summary>
    public const string Path = "/webhooks/agentmail";

    /// <summary>Starts it on a free port of 127.0.0.1; its URL is <c>Urls.Single() + Path</c>.</summary>
    public static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost(Path, async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return TypedResults.NoContent();
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>The endpoint's URL once started.</summary>
    public static Uri Url(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new Uri(app.Urls.Single() + Path);
    }
}

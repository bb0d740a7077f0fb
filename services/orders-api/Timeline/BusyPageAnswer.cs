using Microsoft.Net.Http.Headers;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// Describes, in the OpenAPI document, the page's 503 (<see cref="BusyPage"/>): HTML with <c>Retry-After</c>, where the API's
/// routes answer the database's 503 as a problem (<c>ProducesDatabaseBusy</c>).
/// </summary>
internal static class BusyPageAnswer
{
    /// <summary>Adds the 503 page and its <c>Retry-After</c> header to the page's operation.</summary>
    public static RouteHandlerBuilder ProducesBusyPage(this RouteHandlerBuilder page) =>
        page.Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/html")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var busy = operation.SetHeader(
                    "503",
                    HeaderNames.RetryAfter,
                    OpenApiResponseHeaders.RetryAfterSeconds("Seconds before the page loads itself again (its meta refresh)."));
                if (busy is not null)
                {
                    busy.Description =
                        "The database could not say whose the order is now, or Clerk's signing keys could not be fetched to verify the session: a page saying the service is busy, which loads itself again after Retry-After.";
                }

                return Task.CompletedTask;
            });
}

using System.Globalization;
using Microsoft.OpenApi;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Paging;

/// <summary>The <c>limit</c> and <c>cursor</c> query parameters of a keyset list route, as the OpenAPI document lists them.</summary>
public static class PageParameters
{
    /// <summary>
    /// A page of <paramref name="items"/> ("Orders", "Emails"...): <c>limit</c>, a whole number from 1 to
    /// <paramref name="maxLimit"/> (<paramref name="defaultLimit"/> when left out), and the <c>cursor</c> of the page before.
    /// </summary>
    public static IReadOnlyList<QueryParameter> Of(string items, int defaultLimit, int maxLimit) =>
    [
        new(
            "limit",
            JsonSchemaType.Integer,
            string.Create(CultureInfo.InvariantCulture, $"{items} per page, 1 to {maxLimit}; {defaultLimit} when left out."),
            Minimum: 1,
            Maximum: maxLimit),
        new("cursor", JsonSchemaType.String, "The next_cursor of the page before; the first page when left out."),
    ];
}

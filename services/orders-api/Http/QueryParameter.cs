using Microsoft.OpenApi;

namespace OrdersMail.OrdersApi.Http;

/// <summary>
/// A query parameter a handler reads from the request itself, or binds as text, so that a bad value is answered with a
/// problem naming it rather than binding's bare 400. The OpenAPI generator cannot see such a parameter, or sees only a
/// string; the route declares it (<see cref="QueryParameters.WithQueryParameters{TBuilder}"/>).
/// </summary>
/// <param name="Name">As it is written in the query string.</param>
/// <param name="Type">The type its text must read as.</param>
/// <param name="Description">What it asks for, and what its absence means.</param>
/// <param name="Minimum">The smallest value a number may have; null for no bound.</param>
/// <param name="Maximum">The largest value a number may have; null for no bound.</param>
public sealed record QueryParameter(string Name, JsonSchemaType Type, string Description, int? Minimum = null, int? Maximum = null);

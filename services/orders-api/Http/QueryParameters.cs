using Microsoft.OpenApi;

namespace OrdersMail.OrdersApi.Http;

/// <summary>Declares, in the OpenAPI document, the query parameters a handler reads itself (see <see cref="QueryParameter"/>).</summary>
public static class QueryParameters
{
    /// <summary>Lists <paramref name="parameters"/>, optional, as the query of every operation <paramref name="builder"/> maps.</summary>
    public static TBuilder WithQueryParameters<TBuilder>(this TBuilder builder, IReadOnlyList<QueryParameter> parameters)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = ParameterLocation.Query,
                    Description = parameter.Description,
                    Schema = new OpenApiSchema { Type = parameter.Type },
                });
            }

            return Task.CompletedTask;
        });
    }
}

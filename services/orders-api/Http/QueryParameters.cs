using System.Globalization;
using Microsoft.OpenApi;

namespace OrdersMail.OrdersApi.Http;

/// <summary>Declares, in the OpenAPI document, the query parameters a handler reads itself (see <see cref="QueryParameter"/>).</summary>
public static class QueryParameters
{
    /// <summary>
    /// Lists <paramref name="parameters"/>, optional, as the query of every operation <paramref name="builder"/> maps, each in
    /// place of the one the generator made of a parameter bound as text.
    /// </summary>
    public static TBuilder WithQueryParameters<TBuilder>(this TBuilder builder, IReadOnlyList<QueryParameter> parameters)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters)
            {
                var bound = operation.Parameters.FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == parameter.Name);
                if (bound is not null)
                {
                    operation.Parameters.Remove(bound);
                }

                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = ParameterLocation.Query,
                    Description = parameter.Description,
                    Schema = new OpenApiSchema
                    {
                        Type = parameter.Type,
                        Minimum = parameter.Minimum?.ToString(CultureInfo.InvariantCulture),
                        Maximum = parameter.Maximum?.ToString(CultureInfo.InvariantCulture),
                    },
                });
            }

            return Task.CompletedTask;
        });
    }
}

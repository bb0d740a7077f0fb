using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>
/// How the PostgreSQL saga repository writes an instance to its <c>data</c> column (System.Text.Json's web defaults,
/// so properties are camelCase): for code that reads saga rows itself, such as a service's ops queries.
/// </summary>
public static class PostgresSagaData
{
    /// <summary>The serializer options of the <c>data</c> column; read-only.</summary>
    public static JsonSerializerOptions Options { get; } = ReadOnly(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

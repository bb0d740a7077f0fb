using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MassTransit;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>
/// One saga type's table in the service's schema: its statements, and how an instance becomes a row (JSON in
/// <c>data</c>, the state projection in <c>current_state</c>, the due-time projection in <c>due_at</c> when there is one) and back. No I/O; <see cref="PostgresSagaTransaction{TSaga}"/> runs the statements.
/// </summary>
internal sealed partial class PostgresSagaTable<TSaga>
    where TSaga : class, ISaga
{
    private readonly Func<TSaga, string?> _currentState;
    private readonly Func<TSaga, DateTimeOffset?>? _dueAt;

    public PostgresSagaTable(string name, Func<TSaga, string?> currentState, Func<TSaga, DateTimeOffset?>? dueAt = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(currentState);
        if (!TableName().IsMatch(name))
        {
            throw new ArgumentException($"Saga table '{name}' must be lower-case letters, digits and underscores (at most 63).", nameof(name));
        }

        if (!typeof(TSaga).GetProperties().Any(p => p.IsDefined(typeof(JsonExtensionDataAttribute), inherit: true)))
        {
            throw new ArgumentException(
                $"{typeof(TSaga).Name} must keep the fields it does not know: give it a [JsonExtensionData] Dictionary<string, JsonElement>? property. "
                + "In a rolling upgrade a replica of the older build moves on instances a newer one wrote, and writes back only what its own class holds.");
        }

        Name = name;
        _currentState = currentState;
        _dueAt = dueAt;
        var (dueColumn, dueValue, dueSet) = dueAt is null ? ("", "", "") : (", due_at", ", @DueAt", ", due_at = @DueAt");
        Select = $"select data::text from {name} where correlation_id = @CorrelationId";
        SelectForUpdate = Select + " for update";
        Insert = $"""
            insert into {name} (correlation_id, current_state, version, data{dueColumn})
            values (@CorrelationId, @CurrentState, 1, @Data::jsonb{dueValue})
            """;
        InsertIfAbsent = Insert + " on conflict (correlation_id) do nothing";
        Update = $"""
            update {name}
               set current_state = @CurrentState, data = @Data::jsonb, version = version + 1, updated_at = now(){dueSet}
             where correlation_id = @CorrelationId
            """;
        Delete = $"delete from {name} where correlation_id = @CorrelationId";
    }

    /// <summary>The table's name, unqualified: it resolves in the service's schema through the data source's search path.</summary>
    public string Name { get; }

    /// <summary>The instance's JSON, or no row. Parameter: <c>CorrelationId</c>.</summary>
    public string Select { get; }

    /// <summary><see cref="Select"/>, locking the row until the transaction ends.</summary>
    public string SelectForUpdate { get; }

    /// <summary>A new row at version 1; a duplicate id fails with SQLSTATE 23505. Parameters: see <see cref="Row"/>.</summary>
    public string Insert { get; }

    /// <summary><see cref="Insert"/>, writing nothing when the id exists (zero rows affected).</summary>
    public string InsertIfAbsent { get; }

    /// <summary>Rewrites the row, one version up, stamped now. Parameters: see <see cref="Row"/>.</summary>
    public string Update { get; }

    /// <summary>Removes the row. Parameter: <c>CorrelationId</c>.</summary>
    public string Delete { get; }

    /// <summary>
    /// The parameters that write <paramref name="instance"/>. A state machine's instance has no state yet when it is
    /// inserted before its first event (<c>InsertOnInitial</c>): its <c>current_state</c> is empty until that event's update.
    /// </summary>
    public SagaRow Row(TSaga instance) => new(
        instance.CorrelationId,
        _currentState(instance) ?? "",
        JsonSerializer.Serialize(instance, PostgresSagaData.Options),
        _dueAt?.Invoke(instance)?.ToUniversalTime());

    /// <summary>The instance stored as <paramref name="data"/>.</summary>
    public static TSaga Read(string data) =>
        JsonSerializer.Deserialize<TSaga>(data, PostgresSagaData.Options) ?? throw new InvalidOperationException($"A {typeof(TSaga).Name} row holds JSON null.");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex TableName();

    /// <summary>The values of one row write.</summary>
    public sealed record SagaRow(Guid CorrelationId, string CurrentState, string Data, DateTimeOffset? DueAt);
}

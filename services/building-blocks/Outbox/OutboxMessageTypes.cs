using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// The messages a service's outbox carries: the name stored in <c>message_type</c> for each, and their JSON form in
/// <c>payload</c>. The list is closed: the relay only publishes a row as a type named here, whatever the row says.
/// </summary>
public sealed class OutboxMessageTypes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new NulFreeStringConverter() } };

    private readonly FrozenDictionary<string, OutboxPublishTarget> _targets;

    /// <summary>An outbox carrying <paramref name="types"/> (message records, as the contracts define them).</summary>
    public OutboxMessageTypes(params Type[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _targets = types.ToFrozenDictionary(
            t => t.FullName ?? throw new ArgumentException($"{t} has no full name.", nameof(types)),
            OutboxPublishTarget.For);
    }

    /// <summary>The <c>message_type</c> of <paramref name="type"/> (its full name).</summary>
    /// <exception cref="ArgumentException">The outbox does not carry that type.</exception>
    public string TypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.FullName is { } name && _targets.ContainsKey(name)
            ? name
            : throw new ArgumentException($"{type} is not a message this outbox carries; add it to the types given to AddOutbox.", nameof(type));
    }

    /// <summary>The <c>payload</c> of <paramref name="message"/>.</summary>
    public static string Serialize(object message, Type type) => JsonSerializer.Serialize(message, type, Json);

    /// <summary>Where a row of <paramref name="messageType"/> is published; false when the outbox does not carry it.</summary>
    internal bool TryGetTarget(string messageType, [NotNullWhen(true)] out OutboxPublishTarget? target) =>
        _targets.TryGetValue(messageType, out target);
}

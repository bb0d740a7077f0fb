using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// The messages a service's outbox carries: the name stored in <c>message_type</c> for each, and their JSON form in
/// <c>payload</c>. The list is closed: the relay only turns a row back into a type named here, whatever the row says.
/// </summary>
public sealed class OutboxMessageTypes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new NulFreeStringConverter() } };

    private readonly FrozenDictionary<string, Type> _types;

    /// <summary>An outbox carrying <paramref name="types"/> (message records, as the contracts define them).</summary>
    public OutboxMessageTypes(params Type[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = types.ToFrozenDictionary(t => t.FullName ?? throw new ArgumentException($"{t} has no full name.", nameof(types)));
    }

    /// <summary>The <c>message_type</c> of <paramref name="type"/> (its full name).</summary>
    /// <exception cref="ArgumentException">The outbox does not carry that type.</exception>
    public string TypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.FullName is { } name && _types.ContainsKey(name)
            ? name
            : throw new ArgumentException($"{type} is not a message this outbox carries; add it to the types given to AddOutbox.", nameof(type));
    }

    /// <summary>The <c>payload</c> of <paramref name="message"/>.</summary>
    public static string Serialize(object message, Type type) => JsonSerializer.Serialize(message, type, Json);

    /// <summary>Turns a row back into its message; false when its type is not one the outbox carries.</summary>
    /// <exception cref="JsonException">The payload does not hold a message of its type.</exception>
    public bool TryRead(string messageType, ReadOnlySpan<byte> payload, [NotNullWhen(true)] out object? message, [NotNullWhen(true)] out Type? type)
    {
        message = null;
        if (!_types.TryGetValue(messageType, out type))
        {
            return false;
        }

        message = JsonSerializer.Deserialize(payload, type, Json) ?? throw new JsonException($"The payload of a {messageType} is null.");
        return true;
    }
}

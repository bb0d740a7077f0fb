using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.OrdersApi.Outbox;

/// <summary>
/// The messages the outbox carries: the name stored in <c>message_type</c> for each, and their JSON form in
/// <c>payload</c>. The list is closed: the relay only turns a row back into a type named here, whatever the row says.
/// </summary>
public static class OutboxMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly FrozenDictionary<string, Type> Types = new[]
    {
        typeof(OrderCreated),
    }.ToFrozenDictionary(t => t.FullName!);

    /// <summary>The <c>message_type</c> of <paramref name="type"/> (its full name).</summary>
    /// <exception cref="ArgumentException">The outbox does not carry that type.</exception>
    public static string TypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.FullName is { } name && Types.ContainsKey(name)
            ? name
            : throw new ArgumentException($"{type} is not a message the outbox carries; add it to {nameof(OutboxMessages)}.", nameof(type));
    }

    /// <summary>The <c>payload</c> of <paramref name="message"/>.</summary>
    public static string Serialize(object message, Type type) => JsonSerializer.Serialize(message, type, Json);

    /// <summary>Turns a row back into its message; false when its type is not one the outbox carries.</summary>
    /// <exception cref="JsonException">The payload does not hold a message of its type.</exception>
    public static bool TryRead(string messageType, string payload, [NotNullWhen(true)] out object? message, [NotNullWhen(true)] out Type? type)
    {
        message = null;
        if (!Types.TryGetValue(messageType, out type))
        {
            return false;
        }

        message = JsonSerializer.Deserialize(payload, type, Json) ?? throw new JsonException($"The payload of a {messageType} is null.");
        return true;
    }
}

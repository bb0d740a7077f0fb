using System.Collections.Frozen;
using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// The messages a service's outbox carries: the name stored in <c>message_type</c> for each, and their JSON form in
/// <c>payload</c>. The list is closed: the relay only claims rows of a type named here, so a row another version of the
/// service wrote for a type this one does not carry waits for a relay that does (README "Outbox and processed messages").
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

    /// <summary>The <c>message_type</c> of every message this outbox carries: the rows this version's relay claims.</summary>
    internal string[] Names => [.. _targets.Keys];

    /// <summary>Where a row of <paramref name="messageType"/>, one of <see cref="Names"/>, is published.</summary>
    internal OutboxPublishTarget TargetOf(string messageType) => _targets[messageType];
}

using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;

namespace OrdersMail.BuildingBlocks.Tests.Sagas;

/// <summary>A saga instance with the kinds of fields real ones have: ids, nullables, timestamps with offsets, a list of records.</summary>
public sealed class TallyState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public string Title { get; set; } = "";

    public string? Note { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? LastIncrementedAt { get; set; }

    public int Opens { get; set; }

    public int Count { get; set; }

    public List<TallyEntry> Entries { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? FieldsOfOtherVersions { get; set; }
}

/// <summary>One increment of a tally.</summary>
public sealed record TallyEntry(string By, DateTimeOffset At)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? FieldsOfOtherVersions { get; init; }
}

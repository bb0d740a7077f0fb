using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>One line of a saga's history, as ops read it: when, which step, what came of it.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Step">The step, one of <see cref="Steps.ProvisioningSteps"/>.</param>
/// <param name="Outcome">What came of it, one word: <c>started</c>, <c>created</c>, <c>existing</c>, <c>verified</c>, <c>repaired</c>, <c>failed</c>...</param>
/// <param name="Detail">The particulars, when there are any.</param>
public sealed record ProvisioningStep(DateTimeOffset At, string Step, string Outcome, string? Detail)
{
    /// <summary>Fields a newer build recorded that this one does not know, written back as they were (see <see cref="ProvisioningState"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? FieldsOfOtherVersions { get; init; }
}

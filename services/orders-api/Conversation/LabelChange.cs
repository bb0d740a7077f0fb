using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>The body of <c>PATCH .../labels</c>: labels to add, then labels to remove, as one change.</summary>
/// <param name="Add">Labels to add (already on the message: no change).</param>
/// <param name="Remove">Labels to remove (not on the message: no change); applied after <paramref name="Add"/>.</param>
public sealed record LabelChange(IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    /// <summary>The problem of a body with neither list, as a client is told it.</summary>
    public const string NothingToChange = "The body must have add or remove: an array of labels.";

    /// <summary>
    /// Reads <c>{add?: string[], remove?: string[]}</c>; false with one entry per problem otherwise, keyed by where it is
    /// (<c>add[2]</c>). Labels to add must follow <see cref="LabelRules"/>; labels to remove need only be strings, so a
    /// label that an older rule allowed can still be taken off.
    /// </summary>
    public static bool TryParse(JsonElement body, [NotNullWhen(true)] out LabelChange? change, out Dictionary<string, string[]> errors)
    {
        errors = [];
        change = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = [NothingToChange];
            return false;
        }

        var add = ReadLabels(body, "add", errors, validate: true);
        var remove = ReadLabels(body, "remove", errors, validate: false);
        if (add is null && remove is null && errors.Count == 0)
        {
            errors["body"] = [NothingToChange];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        change = new LabelChange(add ?? [], remove ?? []);
        return true;
    }

    /// <summary>
    /// The labels a message has after this change: its own in their order, then the added ones in theirs, each once,
    /// less the removed ones.
    /// </summary>
    public IReadOnlyList<string> ApplyTo(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var removed = Remove.ToHashSet(StringComparer.Ordinal);
        return labels.Concat(Add).Distinct(StringComparer.Ordinal).Where(l => !removed.Contains(l)).ToList();
    }

    private static List<string>? ReadLabels(JsonElement body, string name, Dictionary<string, string[]> errors, bool validate)
    {
        if (!body.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors[name] = [$"{name} must be an array of labels."];
            return null;
        }

        var labels = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var problem = item.ValueKind != JsonValueKind.String ? "A label is a string."
                : validate ? LabelRules.Problem(item.GetString()!)
                : null;
            if (problem is null)
            {
                labels.Add(item.GetString()!);
            }
            else
            {
                errors[$"{name}[{index}]"] = [problem];
            }

            index++;
        }

        return labels;
    }
}

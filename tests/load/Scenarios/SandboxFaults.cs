using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Fault rules a scenario sets in the sandbox (<c>POST /sandbox/faults</c>) and removes again by their ids, whatever
/// happened in between: disposing removes them. <see cref="AppliedAsync"/> says how often each one bit.
/// </summary>
public sealed class SandboxFaults(HttpClient http, Uri sandbox) : IAsyncDisposable
{
    private readonly Dictionary<string, string> _ids = [];

    /// <summary>Adds <paramref name="rule"/> (snake_case fields as the control API takes them) under <paramref name="name"/>.</summary>
    public async Task AddAsync(string name, object rule)
    {
        using var response = await http.PostAsJsonAsync(new Uri(sandbox, "sandbox/faults"), rule);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the sandbox refused the fault {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        _ids[name] = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>How often each rule added here applied so far, by name (0 for one that is gone).</summary>
    public async Task<IReadOnlyDictionary<string, long>> AppliedAsync()
    {
        var listed = (await http.GetFromJsonAsync<JsonObject>(new Uri(sandbox, "sandbox/faults")))!["faults"]!.AsArray()
            .ToDictionary(f => f!["id"]!.GetValue<string>(), f => f!["applied"]?.GetValue<long>() ?? 0);
        return _ids.ToDictionary(n => n.Key, n => listed.GetValueOrDefault(n.Value));
    }

    /// <summary>Removes every rule added here; true when each one was removed (or gone already).</summary>
    public async Task<bool> RemoveAllAsync()
    {
        var removed = true;
        foreach (var id in _ids.Values)
        {
            using var response = await http.DeleteAsync(new Uri(sandbox, $"sandbox/faults/{Uri.EscapeDataString(id)}"));
            removed &= response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotFound;
        }

        _ids.Clear();
        return removed;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await RemoveAllAsync();
}

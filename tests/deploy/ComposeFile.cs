using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OrdersMail.Deploy.Tests;

/// <summary>deploy/docker-compose.yml as Docker Compose reads it: YAML merge keys (<c>&lt;&lt;: *service</c>) applied.</summary>
internal sealed class ComposeFile
{
    private ComposeFile(IReadOnlyDictionary<string, ComposeService> services, IReadOnlySet<string> volumes)
    {
        Services = services;
        Volumes = volumes;
    }

    /// <summary>Every service, by name.</summary>
    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    /// <summary>The named volumes declared at the top level.</summary>
    public IReadOnlySet<string> Volumes { get; }

    /// <summary>Reads and parses the file.</summary>
    public static ComposeFile Load(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var root = Map(new DeserializerBuilder().Build().Deserialize<object>(new MergingParser(new Parser(reader))));
        var services = Map(root["services"]).ToDictionary(s => s.Key, s => ComposeService.From(s.Key, Map(s.Value)));
        var volumes = root.TryGetValue("volumes", out var declared) ? Map(declared).Keys.ToHashSet() : [];
        return new ComposeFile(services, volumes);
    }

    /// <summary>A YAML mapping with string keys (null for an empty one, as <c>outbox:</c> is).</summary>
    public static Dictionary<string, object?> Map(object? node) =>
        node is IDictionary<object, object?> map ? map.ToDictionary(e => (string)e.Key, e => e.Value) : [];

    /// <summary>A YAML sequence of scalars.</summary>
    public static IReadOnlyList<string> Strings(object? node) =>
        node is List<object?> items ? [.. items.Select(i => i?.ToString() ?? string.Empty)] : [];
}

using System.Collections;
using System.Reflection;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// The configuration keys a program reads, found in its own assemblies: a key is known when it starts with a
/// section name the code declares as a constant (an options type's <c>Section</c>, or a section handed to a shared
/// registration such as <c>AgentMailSection</c>) and the rest walks the public properties of an options type, list
/// indexes included (<c>Clerk:AuthorizedParties:0</c>). A variable named whole by a constant
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is known too.
/// </summary>
internal sealed class ConfigurationKeys
{
    private readonly Dictionary<string, List<Type>> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Type> _optionsTypes = [];

    private ConfigurationKeys(Assembly program)
    {
        foreach (var assembly in OwnAssemblies(program))
        {
            foreach (var type in Types(assembly))
            {
                if (type.Name.EndsWith("Options", StringComparison.Ordinal) || type.Name.StartsWith("Configured", StringComparison.Ordinal))
                {
                    _optionsTypes.Add(type);
                }

                foreach (var constant in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .Where(f => f.IsLiteral && f.FieldType == typeof(string)))
                {
                    var value = (string)constant.GetRawConstantValue()!;
                    var roots = _sections.TryGetValue(value, out var found) ? found : _sections[value] = [];
                    // An options type's own Section constant names the type the rest of the key walks.
                    if (constant.Name == "Section")
                    {
                        roots.Add(type);
                    }
                }
            }
        }
    }

    /// <summary>The keys of the program whose entry assembly is named <paramref name="assemblyName"/>.</summary>
    public static ConfigurationKeys Of(string assemblyName) => new(Assembly.Load(assemblyName));

    /// <summary>Whether the program reads <paramref name="key"/> (<c>:</c>-separated).</summary>
    public bool Knows(string key)
    {
        if (_sections.ContainsKey(key))
        {
            return true;
        }

        var segments = key.Split(':');
        for (var length = segments.Length - 1; length >= 1; length--)
        {
            if (!_sections.TryGetValue(string.Join(':', segments[..length]), out var declared))
            {
                continue;
            }

            var roots = declared.Count > 0 ? declared : _optionsTypes;
            var rest = segments.AsSpan(length).ToArray();
            if (roots.Any(root => Walks(root, rest)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Walks(Type type, ReadOnlySpan<string> path)
    {
        var current = type;
        foreach (var segment in path)
        {
            if (int.TryParse(segment, out _))
            {
                var element = ElementOf(current);
                if (element is null)
                {
                    return false;
                }

                current = element;
                continue;
            }

            var property = current.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            current = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return true;
    }

    private static Type? ElementOf(Type type) =>
        type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type)
            ? null
            : type.IsArray ? type.GetElementType() : type.GetGenericArguments().LastOrDefault();

    private static IEnumerable<Assembly> OwnAssemblies(Assembly program)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([program]);
        while (pending.TryPop(out var assembly))
        {
            if (!seen.Add(assembly.GetName().Name!))
            {
                continue;
            }

            yield return assembly;
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("OrdersMail.", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }
    }

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partly)
        {
            return partly.Types.OfType<Type>();
        }
    }
}

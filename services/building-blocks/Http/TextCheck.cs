using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// Finds the text that .NET or PostgreSQL cannot take, in a JSON body or a query string: a string or property name
/// that is not valid UTF-8 or holds a lone surrogate escape (<c>"\ud800"</c>; reading it as a string throws), and the
/// NUL character, which PostgreSQL refuses in text. In a body each is named by its path (<c>items[1].name</c>), the
/// way validation names fields, so one pass over the whole body keeps every later reader from meeting them.
/// </summary>
public static class TextCheck
{
    /// <summary>Told about text that is not valid UTF-8, or holds a lone surrogate.</summary>
    public const string InvalidText = "must be valid UTF-8 text, without lone surrogates";

    /// <summary>Told about text holding NUL.</summary>
    public const string NulCharacter = "must not contain the NUL character (\\u0000)";

    /// <summary>The problem with decoded text, or null when PostgreSQL can take it (a query value's escapes: <see cref="QueryText"/>).</summary>
    public static string? Problem(string value) => value.Contains('\0', StringComparison.Ordinal) ? NulCharacter : null;

    /// <summary>Every piece of text in <paramref name="root"/> that cannot be taken, by path; empty when there is none.</summary>
    public static Dictionary<string, string[]> Check(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Visit(root, "body", errors);
        return errors;
    }

    private static void Visit(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (Read(element.GetString) is { Problem: { } textProblem })
                {
                    errors[path] = [textProblem];
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, $"{path}[{index++}]", errors);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = Read(() => property.Name);
                    if (name.Problem is { } nameProblem)
                    {
                        errors[$"{Child(path, "")}(property name)"] = [nameProblem];
                        continue;
                    }

                    Visit(property.Value, Child(path, name.Text!), errors);
                }

                break;
        }
    }

    // The body's own fields are named alone (customer_email), nested ones by their path (items[0].name).
    private static string Child(string path, string name) => path == "body" ? name : $"{path}.{name}";

    private static (string? Text, string? Problem) Read(Func<string?> read)
    {
        string? text;
        try
        {
            text = read();
        }
        catch (InvalidOperationException)
        {
            return (null, InvalidText);
        }

        return (text, text is null ? null : Problem(text));
    }
}

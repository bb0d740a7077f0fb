namespace OrdersMail.Deploy.Tests;

/// <summary>One service of the compose file, with what the checks read from it.</summary>
/// <param name="Name">Its name, which is also its host name on the compose network.</param>
/// <param name="Image">The image it runs, when not built.</param>
/// <param name="BuildContext">The directory it is built in, relative to the compose file.</param>
/// <param name="Dockerfile">The Dockerfile it is built from, relative to its build context.</param>
/// <param name="BuildArgs">The build arguments (<c>DIR</c>, <c>PROJECT</c>).</param>
/// <param name="Environment">Its environment variables.</param>
/// <param name="Ports">Its published ports as <c>host:container</c>.</param>
/// <param name="Volumes">Its mounts as <c>volume:path</c>.</param>
/// <param name="DependsOn">What it waits for, with the condition.</param>
/// <param name="HasHealthcheck">Whether it says when it is healthy.</param>
/// <param name="Replicas">How many copies run.</param>
/// <param name="StopGracePeriod">How long it is given to stop before it is killed (Docker's default 10 s when unset).</param>
internal sealed record ComposeService(
    string Name,
    string? Image,
    string? BuildContext,
    string? Dockerfile,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string> Volumes,
    IReadOnlyDictionary<string, string> DependsOn,
    bool HasHealthcheck,
    int Replicas,
    TimeSpan StopGracePeriod)
{
    private static readonly TimeSpan DockersStopGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>The port its program listens on inside the container, from <c>ASPNETCORE_URLS</c>.</summary>
    public int? ListensOn =>
        Environment.TryGetValue("ASPNETCORE_URLS", out var urls) && Uri.TryCreate(urls.Replace("0.0.0.0", "host", StringComparison.Ordinal), UriKind.Absolute, out var url)
            ? url.Port
            : null;

    /// <summary>Builds the record from the service's YAML mapping (merge keys already applied).</summary>
    public static ComposeService From(string name, Dictionary<string, object?> yaml)
    {
        var build = ComposeFile.Map(yaml.GetValueOrDefault("build"));
        var deploy = ComposeFile.Map(yaml.GetValueOrDefault("deploy"));
        return new ComposeService(
            name,
            yaml.GetValueOrDefault("image") as string,
            build.GetValueOrDefault("context") as string,
            build.GetValueOrDefault("dockerfile") as string,
            Scalars(build.GetValueOrDefault("args")),
            Scalars(yaml.GetValueOrDefault("environment")),
            ComposeFile.Strings(yaml.GetValueOrDefault("ports")),
            ComposeFile.Strings(yaml.GetValueOrDefault("volumes")),
            ComposeFile.Map(yaml.GetValueOrDefault("depends_on"))
                .ToDictionary(d => d.Key, d => ComposeFile.Map(d.Value).GetValueOrDefault("condition") as string ?? "service_started"),
            yaml.ContainsKey("healthcheck"),
            deploy.GetValueOrDefault("replicas") is string replicas ? int.Parse(replicas, System.Globalization.CultureInfo.InvariantCulture) : 1,
            yaml.GetValueOrDefault("stop_grace_period") is string grace ? Duration(grace) : DockersStopGracePeriod);
    }

    // Compose's durations as this file writes them: whole seconds, e.g. "35s".
    private static TimeSpan Duration(string text) =>
        text.EndsWith('s') && int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"stop_grace_period '{text}' is not a number of seconds such as 35s.");

    private static Dictionary<string, string> Scalars(object? node) =>
        ComposeFile.Map(node).ToDictionary(e => e.Key, e => e.Value?.ToString() ?? string.Empty);
}

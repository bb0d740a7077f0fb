namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// The checkout the tests run from: the nearest directory holding OrdersMail.sln above the test binaries, or
/// else above the working directory (builds with <c>--artifacts-path</c> put the binaries outside the checkout).
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The repository's root directory.</summary>
    public static string Path => Root.Value;

    private static string Find() =>
        Above(AppContext.BaseDirectory) ?? Above(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException($"No OrdersMail.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}: run the tests from a checkout.");

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OrdersMail.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

namespace OrdersMail.Testing.Infrastructure;

/// <summary>The checkout the tests run from: the nearest directory above the test binaries holding OrdersMail.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The repository's root directory.</summary>
    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OrdersMail.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No OrdersMail.sln above {AppContext.BaseDirectory}: run the tests from a checkout.");
    }
}

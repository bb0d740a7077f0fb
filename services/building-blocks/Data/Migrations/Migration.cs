using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OrdersMail.BuildingBlocks.Data.Migrations;

/// <summary>
/// One ordered SQL script of a service: a file <c>Data/Migrations/NNNN_name.sql</c>, embedded in its assembly
/// under the logical name <c>migrations/NNNN_name.sql</c> (services/Directory.Build.props does that for every service).
/// Applied migrations are never edited: the checksum recorded with each one catches it when they are.
/// </summary>
/// <param name="Version">The number before the underscore; migrations run in ascending order.</param>
/// <param name="Name">The file name without the extension.</param>
/// <param name="Sql">The script.</param>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>The logical resource name prefix of embedded migrations.</summary>
    public const string ResourcePrefix = "migrations/";

    /// <summary>SHA-256 of the script, hex.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>
    /// Reads the service migrations embedded in <paramref name="assembly"/>. Two files with one version, or a name
    /// that does not follow <c>NNNN_name.sql</c>, is a build mistake and fails here rather than half-way through a deploy.
    /// </summary>
    public static IReadOnlyList<Migration> LoadFrom(Assembly assembly) => LoadFrom(assembly, ResourcePrefix);

    /// <summary>Reads the migrations embedded in <paramref name="assembly"/> under <paramref name="resourcePrefix"/> (e.g. a building block's own).</summary>
    public static IReadOnlyList<Migration> LoadFrom(Assembly assembly, string resourcePrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resourcePrefix);
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[resourcePrefix.Length..^".sql".Length];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration '{resource}' must be named NNNN_name.sql (digits, an underscore, then a name).");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), fileName, reader.ReadToEnd()));
        }

        var clash = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException($"Migrations {string.Join(" and ", clash.Select(m => m.Name))} share version {clash.Key}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    [GeneratedRegex(@"^(\d+)_[A-Za-z0-9_]+$")]
    private static partial Regex FileNamePattern();
}

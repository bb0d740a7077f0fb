using System.Reflection;
using System.Text.RegularExpressions;

namespace OrdersMail.BuildingBlocks.Data.Migrations;

/// <summary>
/// A set of migrations applied to a service's schema with a journal of its own: the service's own (journal
/// <c>schema_migrations</c>), and those of each building block the service uses that keeps tables in the service's
/// schema (the outbox's in <c>schema_migrations_outbox</c>...). One journal per set keeps each set's numbering its
/// own, so a building block's <c>0001</c> never clashes with the service's, and either can add migrations later.
/// </summary>
/// <param name="Journal">The journal table, in the service's schema.</param>
/// <param name="Migrations">All of the set's migrations, applied or not, in version order.</param>
public sealed partial record MigrationSource(string Journal, IReadOnlyList<Migration> Migrations)
{
    /// <summary>The journal of the service's own migrations.</summary>
    public const string ServiceJournal = "schema_migrations";

    /// <summary>The service's own migrations (<c>Data/Migrations/NNNN_name.sql</c> of its components assembly).</summary>
    public static MigrationSource Service(IReadOnlyList<Migration> migrations) => new(ServiceJournal, migrations);

    /// <summary>
    /// A building block's migrations: the scripts <paramref name="assembly"/> embeds under <c>{name}-migrations/</c>,
    /// journalled in <c>schema_migrations_{name}</c>.
    /// </summary>
    /// <param name="name">Lower-case letters, digits and underscores.</param>
    /// <param name="assembly">The building block's assembly.</param>
    public static MigrationSource BuildingBlock(string name, Assembly assembly)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Migration source '{name}' must be lower-case letters, digits and underscores.", nameof(name));
        }

        return new($"{ServiceJournal}_{name}", Migration.LoadFrom(assembly, $"{name}-migrations/"));
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,40}$")]
    private static partial Regex NamePattern();
}

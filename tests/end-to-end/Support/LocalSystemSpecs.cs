namespace OrdersMail.EndToEnd.Tests.Support;

/// <summary>
/// The specs that drive the system deploy/local/up.sh runs: one at a time, since one of them stops and starts its
/// programs while another would be loading them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalSystemSpecs
{
    /// <summary>The collection's name.</summary>
    public const string Name = "local system";
}

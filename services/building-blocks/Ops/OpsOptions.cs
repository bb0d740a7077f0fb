namespace OrdersMail.BuildingBlocks.Ops;

/// <summary>The key ops present to a service's ops routes: section <c>Ops</c> (<c>ORDERSMAIL_Ops__ApiKey</c>).</summary>
public sealed class OpsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ops";

    /// <summary>The shortest key taken: a key is a secret, not a password a person types.</summary>
    public const int MinKeyLength = 32;

    /// <summary>The key, sent as <c>Authorization: Bearer {key}</c>. Required: a service with ops routes does not start without one.</summary>
    public string? ApiKey { get; set; }
}

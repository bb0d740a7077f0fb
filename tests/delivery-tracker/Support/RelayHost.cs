using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>delivery-tracker's own host, in memory, on a <see cref="RelayFixture"/>'s database, sandbox and outbox.</summary>
public sealed class RelayHost(RelayFixture fixture, IReadOnlyDictionary<string, string?>? extra = null) : ServiceHostFactory<Program>(fixture.Infrastructure)
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(fixture.Settings.Concat(extra ?? new Dictionary<string, string?>()).GroupBy(p => p.Key).Select(g => g.Last()));
}

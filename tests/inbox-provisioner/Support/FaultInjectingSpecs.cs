namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>Specs that inject faults into the sandbox: each spec's faults are cleared after it, so none leaks into the next.</summary>
public abstract class FaultInjectingSpecs<TFixture>(TFixture fixture) : IAsyncLifetime
    where TFixture : ProvisionerFixture
{
    /// <summary>The class's fixture.</summary>
    protected TFixture Fixture { get; } = fixture;

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync() => Fixture.AgentMail.ClearFaultsAsync();
}

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>A provisioner whose spans are exported to <see cref="ProvisionerFixture.Spans"/>, for specs of what a trace holds.</summary>
public sealed class TracedFixture : ProvisionerFixture
{
    /// <inheritdoc />
    protected override bool ExportsSpans => true;
}

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>The fixture without an in-process provisioner: the spec runs (and kills) provisioner processes itself.</summary>
public sealed class ProcessFixture : ProvisionerFixture
{
    /// <inheritdoc />
    protected override bool RunsProvisioner => false;
}

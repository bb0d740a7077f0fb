namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>A provisioner whose webhook watch looks closely at three customers per look.</summary>
public sealed class SmallWatchBudgetFixture : ProvisionerFixture
{
    /// <summary>The customers one look examines.</summary>
    public const int Budget = 3;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
    {
        ["InboxProvisioner:Provisioning:WebhookWatchBudget"] = $"{Budget}",
    };
}

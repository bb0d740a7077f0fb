using Dapper;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// A step that waits in vain for its customer's lease (another step of theirs slow at AgentMail) is deferred, as an
/// AgentMail outage is: its consumer slot is free again at once and the saga asks later. The bus took the wait's
/// TimeoutException for a database outage and retried it in place for minutes, one slot held all along.
/// </summary>
public sealed class BusyCustomer_Specs(ShortLeaseWaitFixture fixture) : IClassFixture<ShortLeaseWaitFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>The customer's lease held elsewhere: the inbox step is deferred, naming the lease; freed, the order is provisioned.</summary>
    [Fact]
    public async Task Should_defer_a_step_whose_customer_lease_stays_busy_and_provision_once_it_is_free()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await fixture.HoldLeaseElsewhereAsync(order.UserId);

        await fixture.PublishAsync(order);

        var deferral = await Eventually.Until(
            async () => (await ProvisionerFixture.TrySagaAsync(order.OrderId, fixture.Client))?.History.FirstOrDefault(h => h.Step == "deferral"),
            line => line is not null,
            Patience,
            "the inbox step to be deferred while its customer's lease is another holder's");
        Assert.Equal("retry-scheduled", deferral!.Outcome);
        Assert.Contains("lease", deferral.Detail, StringComparison.Ordinal);

        await ReleaseAsync(order.UserId);
        await fixture.Outcomes.ReadyAsync(order.OrderId);
    }

    private async Task ReleaseAsync(string userId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("delete from provisioning.customer_leases where user_id = @userId", new { userId });
    }
}
